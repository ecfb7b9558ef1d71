import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;

/**
 * A test broker's SASL/OAUTHBEARER validator that stands in for MSK's IAM check: it takes a token
 * that is an MSK IAM login — a base64url, SigV4-presigned kafka-cluster:Connect URL for
 * kafka.REGION.amazonaws.com, signed with the access key given as -Dsluice.msk.accessKey — and writes
 * every token it is given to -Dsluice.msk.tokens, so the test sees the exact bytes the client sent.
 * (It does not check the signature: msk-iam.test.ts holds it to AWS's own Java library.)
 */
public class MskIamTestValidator implements AuthenticateCallbackHandler {
  @Override
  public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {}

  @Override
  public void close() {}

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerValidatorCallback) validate((OAuthBearerValidatorCallback) callback);
      else if (!(callback instanceof OAuthBearerExtensionsValidatorCallback)) throw new UnsupportedCallbackException(callback);
    }
  }

  private void validate(OAuthBearerValidatorCallback callback) throws IOException {
    String token = callback.tokenValue();
    Files.writeString(Path.of(System.getProperty("sluice.msk.tokens")), token + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String accessKey = System.getProperty("sluice.msk.accessKey");
    Map<String, String> query = new HashMap<>();
    String host;
    try {
      URI url = URI.create(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      host = url.getHost();
      for (String pair : url.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    } catch (RuntimeException e) {
      callback.error("invalid_token", null, null);
      return;
    }
    boolean ok = host != null && host.matches("kafka\\.[a-z0-9-]+\\.amazonaws\\.com")
        && "kafka-cluster:Connect".equals(query.get("Action"))
        && "AWS4-HMAC-SHA256".equals(query.get("X-Amz-Algorithm"))
        && query.getOrDefault("X-Amz-Credential", "").startsWith(accessKey + "/")
        && query.getOrDefault("X-Amz-Credential", "").endsWith("/kafka-cluster/aws4_request")
        && query.getOrDefault("X-Amz-Signature", "").matches("[0-9a-f]{64}");
    if (!ok) {
      callback.error("invalid_token", null, null);
      return;
    }
    long now = System.currentTimeMillis();
    callback.token(new OAuthBearerToken() {
      public String value() { return token; }
      public Set<String> scope() { return Set.of(); }
      public long lifetimeMs() { return now + 900_000; }
      public String principalName() { return accessKey; }
      public Long startTimeMs() { return now; }
    });
  }
}
