import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler;

/**
 * Prints the SASL/OAUTHBEARER token AWS's own Java library (software.amazon.msk:aws-msk-iam-auth)
 * makes for an MSK IAM login — what a Java client configured with
 * sasl.login.callback.handler.class=software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler
 * sends. Its public entry point, configured without JAAS options, as a Java client is: credentials from
 * the default chain (here AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the region
 * from AWS_REGION. The library signs at the current time (its expiry and the SDK signer read the
 * clock; neither takes another), so the test signs Sluice's token at the time this one carries.
 *
 * Run by main/publishers/msk-iam.test.ts: java -cp 'LIBS/*' MskIamToken.java
 */
public class MskIamToken {
  public static void main(String[] args) throws Exception {
    IAMOAuthBearerLoginCallbackHandler handler = new IAMOAuthBearerLoginCallbackHandler();
    handler.configure(Map.of(), "OAUTHBEARER", List.of());
    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
    handler.handle(new Callback[] {callback});
    System.out.println(callback.token().value());
    handler.close();
  }
}
