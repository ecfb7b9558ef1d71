// The Kafka connection test: name resolution and TCP for every broker (one down is a warning), TLS,
// authentication, authorisation on the default topic, and the cluster's topics.
import type { ConnectionTest } from '../../../../shared/config/connection-test';
import type { DestinationDraft } from '../../../../shared/config/destination';
import { KafkaCallRecorder } from '../../../kafka/instrumentation';
import type { CallSink } from '../../../recorder/types';
import { kafkaClient, kafkaConfig, WAITED_ON_REQUEST_TIMEOUT_MS } from '../../../kafka/client';
import { foreignAnswer } from '../../../kafka/answer-check';
import { kafkaTlsFailure } from '../../../kafka/tls-errors';
import type { SourceSecretResolver } from '../../../secrets/types';
import { errorText, explainTcp, rawError, explainTls, resolveHost, StepRunner, tcpConnect, tlsHandshake, type StepWarning } from '../../check-steps';
import { naturalCompare } from '../../../../shared/natural-order';

function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(address);
  return m ? { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) } : { host: address, port: defaultPort };
}

type KafkaDraft = Extract<DestinationDraft, { kind: 'kafka' }>;
type Broker = { address: string; host: string; port: number };
type Admin = ReturnType<ReturnType<typeof kafkaClient>['admin']>;

export async function testKafka(destination: KafkaDraft, secrets: SourceSecretResolver, recorder?: CallSink): Promise<ConnectionTest> {
  const steps = new StepRunner();
  const listed: string[] = [];
  const reachable = await networkSteps(steps, destination);
  if (steps.ok) {
    const config = await kafkaConfig(destination, secrets);
    // Through the brokers that answered: kafkajs takes the bootstrap list in order, so a first broker
    // that is down would otherwise fail this single-attempt check (a run's client retries the next one).
    // A test answers in seconds: a listener that never answers is said after 10 s (kafkajs waits 30 s).
    const admin = kafkaClient(config, {
      ...(reachable.length ? { brokers: reachable.map((b) => b.address) } : {}),
      retry: { retries: 0 },
      requestTimeout: WAITED_ON_REQUEST_TIMEOUT_MS,
    }).admin();
    if (recorder) new KafkaCallRecorder(recorder, destination.brokers).watchAdmin(admin);
    // MSK IAM is SASL/OAUTHBEARER with a signed token (main/kafka/msk-iam.ts).
    const mechanism = destination.auth.mechanism === 'aws' ? 'AWS IAM (SASL/OAUTHBEARER)' : destination.auth.mechanism.toUpperCase();
    await steps.run(
      'Authentication',
      () => authenticate(admin, destination, reachable, mechanism),
      (err) => explainKafkaAuth(err, mechanism),
    );
    await steps.run(
      'Authorisation',
      () => checkTopic(admin, destination.topic),
      (err) => explainTopic(err, destination.topic),
    );
    await steps.run('Listing', async () => {
      listed.push(...(await admin.listTopics()).filter((t) => !t.startsWith('__')).sort(naturalCompare));
      return `${listed.length} topic(s)`;
    });
    await admin.disconnect().catch(() => undefined);
  } else {
    for (const step of ['Authentication', 'Authorisation', 'Listing'] as const) await steps.run(step, async () => '');
  }
  return { destination: destination.name, ok: steps.ok, steps: steps.steps, listed };
}

/** Name resolution, TCP and TLS: every broker of the list (one down is a warning, the others carry the cluster; all down a failure). The brokers that answer. */
async function networkSteps(steps: StepRunner, destination: KafkaDraft): Promise<Broker[]> {
  const brokers = destination.brokers.map((address) => ({ address, ...hostPort(address, 9092) }));
  await steps.run(
    'Name resolution',
    async () => {
      const hosts = [...new Set(brokers.map((b) => b.host))];
      return someOf(hosts, await Promise.allSettled(hosts.map((h) => resolveHost(h))), 'host', (err) => errorText(err));
    },
    eachFailure(errorText),
  );
  const reachable: Broker[] = [];
  await steps.run(
    'TCP connection',
    async () => {
      const answers = await Promise.allSettled(brokers.map((b) => tcpConnect(b.host, b.port)));
      answers.forEach((a, i) => a.status === 'fulfilled' && reachable.push(brokers[i]!));
      return someOf(
        brokers.map((b) => b.address),
        answers,
        'broker',
        (err) => explainTcp(err).detail,
        'Sluice reaches the cluster through the brokers that answer, so syncs still run; check that this broker is running and its host and port are right, or take it off the list.',
      );
    },
    eachFailure((err) => explainTcp(err).detail, explainTcp),
  );
  const first = reachable[0] ?? brokers[0]!;
  if (destination.tls.enabled)
    await steps.run('TLS', () => tlsHandshake(first.host, first.port, destination.tls.caPem ? [destination.tls.caPem] : undefined), explainTls);
  else steps.skip('TLS', 'TLS is off for this destination');
  return reachable;
}

/** Logs in and describes the cluster; a broker the cluster sends clients to that this machine cannot reach is a warning. */
async function authenticate(admin: Admin, destination: KafkaDraft, reachable: Broker[], mechanism: string): Promise<string | StepWarning> {
  await admin.connect();
  const cluster = await admin.describeCluster();
  const advertised = cluster.brokers.map((b) => `${b.host}:${b.port}`).sort();
  const done = `${destination.auth.mechanism === 'none' ? 'Connected without authentication' : `Authenticated with ${mechanism}`}; cluster ${cluster.clusterId} with ${cluster.brokers.length} broker(s): ${advertised.join(', ')}`;
  // The cluster's metadata names the brokers clients are sent to (their advertised listeners):
  // one this machine cannot reach fails the records of every partition it leads.
  const checked = new Set(reachable.map((b) => `${b.host}:${b.port}`));
  const others = cluster.brokers.filter((b) => !checked.has(`${b.host}:${b.port}`));
  const answers = await Promise.allSettled(others.map((b) => tcpConnect(b.host, b.port, 3000)));
  const unreachable = others.flatMap((b, i) =>
    answers[i]!.status === 'rejected' ? [`${b.host}:${b.port} (broker ${b.nodeId}: ${explainTcp((answers[i] as PromiseRejectedResult).reason).detail})`] : [],
  );
  if (unreachable.length === 0) return done;
  return {
    warning: true,
    detail: `${done}. This machine cannot reach ${unreachable.length === 1 ? 'a broker' : 'brokers'} the cluster sends clients to: ${unreachable.join('; ')}`,
    hint: 'Records for the partitions those brokers lead cannot be sent. Check the brokers’ advertised.listeners (a host name this machine resolves and reaches), or the network between.',
  };
}

async function checkTopic(admin: Admin, topic: string | undefined): Promise<string> {
  if (!topic) return 'No default topic to check (topics come from each row)';
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return `The topic "${topic}" exists with ${topics[0]?.partitions.length ?? 0} partition(s)`;
}

function explainTopic(err: unknown, topic: string | undefined): { detail: string; hint?: string } {
  const e = err as Error & { type?: string };
  if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION')
    return {
      detail: `The topic "${topic}" does not exist`,
      hint: 'Create it on the cluster, or with “Create a new topic…” on the wizard’s topic step (a sync never creates topics).',
    };
  if (e.type === 'TOPIC_AUTHORIZATION_FAILED')
    return { detail: `Not allowed to use the topic "${topic}"`, hint: 'Grant this user the Describe and Write ACLs on the topic.' };
  return { detail: errorText(err) };
}

/**
 * A step over several hosts or brokers: all answered → ok; some → a warning naming the ones that did
 * not, and why; none → the first one's error (the step fails).
 */
function someOf(names: string[], answers: PromiseSettledResult<string>[], noun: string, why: (err: unknown) => string, hint?: string): string | StepWarning {
  const failed = answers.flatMap((a, i) => (a.status === 'rejected' ? [{ name: names[i]!, reason: a.reason as unknown }] : []));
  if (failed.length === answers.length) throw failed.length === 1 ? failed[0]!.reason : new NoneAnswered(noun, failed, why);
  const ok = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  if (failed.length === 0) return ok.join('; ');
  return {
    warning: true,
    detail: `${ok.length} of ${answers.length} ${noun}s answer. Not answering: ${failed.map((f) => `${f.name} — ${why(f.reason)}`).join('; ')}`,
    ...(hint ? { hint } : {}),
  };
}

/** Every host or broker of a step failed (more than one): each one's reason is told, not the first one's alone. */
class NoneAnswered extends Error {
  constructor(
    readonly noun: string,
    readonly failed: { name: string; reason: unknown }[],
    why: (err: unknown) => string,
  ) {
    // The raw errors that say more than the step's words (a code, the system's own text); none: no raw line
    // (three hosts that did not resolve were each said twice, the second time with their names doubled).
    const more = failed.filter((f) => !rawError(f.reason).endsWith(why(f.reason)));
    super(more.map((f) => `${f.name}: ${rawError(f.reason)}`).join('; '));
    this.name = '';
  }
}

/**
 * A step's explanation when none of several hosts or brokers answered: one reason shared by all is
 * said once after their names, else each one's (a broker list whose second port is wrong said only
 * the first broker's reason); reasons that name their own host are listed as they are. The hint is
 * the first one's. Any other error: `explain`'s words.
 */
function eachFailure(why: (err: unknown) => string, explain: (err: unknown) => { detail: string; hint?: string } = (err) => ({ detail: why(err) })) {
  return (err: unknown): { detail: string; hint?: string } => {
    if (!(err instanceof NoneAnswered)) return explain(err);
    const reasons = err.failed.map((f) => why(f.reason));
    const { hint } = explain(err.failed[0]!.reason);
    // Reasons that name their host or broker themselves ("x does not resolve (ENOTFOUND)") are listed as they are.
    if (reasons.every((r, i) => r.includes(err.failed[i]!.name))) return { detail: reasons.join('; '), ...(hint ? { hint } : {}) };
    const none = `None of the ${err.failed.length} ${err.noun}s answers`;
    const detail =
      new Set(reasons).size === 1
        ? `${none} (${err.failed.map((f) => f.name).join(', ')}): ${reasons[0]}`
        : `${none}: ${err.failed.map((f, i) => `${f.name} — ${reasons[i]}`).join('; ')}`;
    return { detail, ...(hint ? { hint } : {}) };
  };
}

function explainKafkaAuth(err: unknown, mechanism: string): { detail: string; hint?: string } {
  const e = err as Error & { type?: string; cause?: Error & { type?: string } };
  const text = `${e.message} ${e.cause?.message ?? ''}`;
  const tls = kafkaTlsFailure(err);
  if (tls) return { detail: tls.message, hint: tls.hint };
  const foreign = foreignAnswer(err);
  if (foreign) return { detail: foreign, hint: 'Check the brokers’ host and port: Sluice needs a Kafka listener’s.' };
  if (e.type === 'UNSUPPORTED_SASL_MECHANISM' || /UNSUPPORTED_SASL_MECHANISM|not supported|does not support/i.test(text)) {
    return {
      detail: `The broker does not accept the ${mechanism} mechanism (wrong mechanism, not a wrong password)`,
      hint: 'Choose a mechanism the cluster enables (ask its administrator which SASL mechanisms are on).',
    };
  }
  if (mechanism.startsWith('AWS IAM') && /authentication failed|invalid_token|access denied/i.test(text)) {
    return {
      detail: 'The broker refused the signed AWS IAM login',
      hint: "Check that the cluster has IAM access control on, the region, and that the credentials' identity may kafka-cluster:Connect (sluice destinations policy NAME).",
    };
  }
  if (/authentication failed|invalid credentials|invalid username or password/i.test(text)) {
    return { detail: 'The broker refused the username or password', hint: 'Check the username and the password saved for this destination.' };
  }
  // Apache Kafka's OAUTHBEARER server answers a refused token with an error challenge and hangs up;
  // kafkajs does not read the challenge, so a refused MSK IAM login shows as the closed connection, or
  // (the admin client, once every broker has hung up on it) as an empty broker pool. TCP passed already.
  if (mechanism.startsWith('AWS IAM') && /closed|no brokers in the broker pool/i.test(text)) {
    return {
      detail: `The broker closed the connection during the AWS IAM login: it refused the signed token, or this listener does not take IAM (${e.message})`,
      hint: "Check the cluster's IAM access control, the region, that the credentials' identity may kafka-cluster:Connect (sluice destinations policy NAME), and that the brokers are the IAM listener (port 9098 on MSK).",
    };
  }
  if (/Request ApiVersions\(.*timed out/i.test(text)) {
    return {
      detail: 'The broker took the connection but did not answer Kafka’s first request (ApiVersions) in time',
      hint: 'Is this address a Kafka listener? It may expect TLS or SASL, or be another service’s port.',
    };
  }
  if (/SASL state/i.test(text)) {
    return {
      detail: `The listener did not take a SASL login: ${e.message}`,
      hint: 'This listener may take no SASL (PLAINTEXT or SSL): set authentication to none, or use the SASL listener’s port.',
    };
  }
  if (/Connection error|closed|ECONNRESET|timeout/i.test(text)) {
    return {
      detail: `The broker closed the connection during authentication: ${e.message}`,
      hint: 'The listener may expect TLS, or a different security protocol.',
    };
  }
  return { detail: errorText(err) };
}
