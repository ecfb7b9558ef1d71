import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { cachedEntry } from './cache';
import { ManagedProcess } from './managed-process';
import { canConnect, freePorts, startOnFreePorts } from './ports';
import { requireTool } from './requirements';
import { untilStopped } from './process-stop';
import { createThrowawayPki, type ThrowawayPki } from './tls';

export const KAFKA_VERSION = '4.1.1';
const LOG4J_VERSION = '2.24.3';

/** Users the broker knows, per mechanism. Test-only credentials. */
export const KAFKA_USERS = {
  plain: { username: 'alice', password: 'alice-plain-secret' },
  scram256: { username: 'scram256-user', password: 'scram256-secret' },
  scram512: { username: 'scram512-user', password: 'scram512-secret' },
} as const;

export interface KafkaPeer {
  version: string;
  /** host:port per listener. */
  listeners: { plaintext: string; saslPlaintext: string; ssl: string; saslSsl: string; mtls: string };
  users: typeof KAFKA_USERS;
  pki: ThrowawayPki;
  /** `configs`: topic settings, e.g. `{ 'max.message.bytes': '20000' }`. */
  createTopic(topic: string, partitions?: number, configs?: Record<string, string>): Promise<void>;
  /** Stops the broker (SIGKILL: as a crash or a pulled plug), keeping its data. */
  kill(): Promise<void>;
  /** Starts the killed broker again on the same ports and data, and waits until it answers. */
  restart(): Promise<void>;
  /**
   * Freezes the broker (SIGSTOP): its connections stay open and nothing on them is answered, as a hung broker.
   * Resolves once every thread of the broker has stopped (until then it may still answer: `untilStopped`).
   */
  pause(): Promise<void>;
  /** Lets a paused broker go on (SIGCONT). */
  resume(): void;
  /** kcat on the PLAINTEXT listener: an independent client to read back what was produced. */
  kcat(args: string[]): string;
  logFile: string;
  stop(): Promise<void>;
}

/** The Kafka jars from Maven Central, fetched once into the peers cache. */
export async function fetchKafka(): Promise<string> {
  requireTool('java', 'The Kafka test broker');
  requireTool('mvn', 'Fetching the Kafka test broker');
  return cachedEntry(`kafka-${KAFKA_VERSION}`, (dir) => {
    fs.writeFileSync(
      path.join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.testpeers</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`,
    );
    const mvn = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=libs', '-DincludeScope=runtime'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (mvn.status !== 0) throw new Error(`Maven could not fetch Apache Kafka ${KAFKA_VERSION}:\n${mvn.stdout}\n${mvn.stderr}`);
    fs.writeFileSync(
      path.join(dir, 'log4j2.properties'),
      [
        'status=warn',
        'appender.console.type=Console',
        'appender.console.name=STDOUT',
        'appender.console.layout.type=PatternLayout',
        'appender.console.layout.pattern=[%d] %p %m (%c)%n',
        'rootLogger.level=WARN',
        'rootLogger.appenderRef.stdout.ref=STDOUT',
        'logger.server.name=kafka.server.KafkaRaftServer',
        'logger.server.level=INFO',
        'logger.auth.name=org.apache.kafka.common.network.Selector',
        'logger.auth.level=INFO',
      ].join('\n') + '\n',
    );
  });
}

function jaas(listener: string): string[] {
  const plain = `org.apache.kafka.common.security.plain.PlainLoginModule required user_${KAFKA_USERS.plain.username}="${KAFKA_USERS.plain.password}";`;
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    `listener.name.${listener}.plain.sasl.jaas.config=${plain}`,
    `listener.name.${listener}.scram-sha-256.sasl.jaas.config=${scram}`,
    `listener.name.${listener}.scram-sha-512.sasl.jaas.config=${scram}`,
  ];
}

/**
 * A real single-node Apache Kafka (KRaft) with five listeners: PLAINTEXT; SASL_PLAINTEXT and SASL_SSL
 * with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; SSL; and SSL requiring a client certificate. Its
 * certificates come from a CA generated for this run. Topics are never created automatically.
 */
export function startKafka(): Promise<KafkaPeer> {
  return startOnFreePorts(startKafkaOnce);
}

async function startKafkaOnce(): Promise<KafkaPeer> {
  const home = await fetchKafka();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-'));
  const pki = createThrowawayPki(path.join(work, 'tls'), 'Sluice Kafka Test CA');
  const [plaintext, controller, saslPlaintext, ssl, saslSsl, mtls] = (await freePorts(6)) as [number, number, number, number, number, number];
  const host = '127.0.0.1';
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${controller}`,
    `listeners=PLAINTEXT://${host}:${plaintext},CONTROLLER://${host}:${controller},SASL_PLAINTEXT://${host}:${saslPlaintext},SSL://${host}:${ssl},SASL_SSL://${host}:${saslSsl},MTLS://${host}:${mtls}`,
    `advertised.listeners=PLAINTEXT://${host}:${plaintext},SASL_PLAINTEXT://${host}:${saslPlaintext},SSL://${host}:${ssl},SASL_SSL://${host}:${saslSsl},MTLS://${host}:${mtls}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,MTLS:SSL',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(work, 'data')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    // One partition for the group-offsets topic: a fresh broker loads it at once, instead of 50 of them
    // ("the coordinator is loading") while the first consumer group joins.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'auto.create.topics.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    ...jaas('sasl_plaintext'),
    ...jaas('sasl_ssl'),
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${pki.serverP12File}`,
    `ssl.keystore.password=${pki.p12Password}`,
    `ssl.key.password=${pki.p12Password}`,
    'ssl.client.auth=none',
    'listener.name.mtls.ssl.client.auth=required',
    'listener.name.mtls.ssl.truststore.type=PEM',
    `listener.name.mtls.ssl.truststore.location=${pki.caFile}`,
  ];
  const config = path.join(work, 'server.properties');
  fs.writeFileSync(config, props.join('\n') + '\n');

  const java = (args: string[]) => [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-cp',
    `${home}/libs/*`,
    `-Dlog4j2.configurationFile=${home}/log4j2.properties`,
    ...args,
  ];
  const clusterId = execFileSync('java', java(['kafka.tools.StorageTool', 'random-uuid']), { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const scram = (mechanism: string, user: { username: string; password: string }) => [
    '--add-scram',
    `${mechanism}=[name=${user.username},password=${user.password}]`,
  ];
  execFileSync(
    'java',
    java([
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      config,
      ...scram('SCRAM-SHA-256', KAFKA_USERS.scram256),
      ...scram('SCRAM-SHA-512', KAFKA_USERS.scram512),
    ]),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );

  let broker = ManagedProcess.start('Apache Kafka', 'java', java(['kafka.Kafka', config]), { logFile: path.join(work, 'kafka.log') });
  const bootstrap = `${host}:${plaintext}`;
  const admin = new Kafka({ clientId: 'sluice-test-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  const ready = async () => {
    await broker.waitUntil(() => canConnect(plaintext), 60_000, 'listen');
    await broker.waitUntil(
      async () => {
        await admin.connect();
        await admin.describeCluster();
        return true;
      },
      60_000,
      'answer metadata requests',
    );
  };
  try {
    await ready();
  } catch (err) {
    await admin.disconnect().catch(() => undefined);
    await broker.stop();
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  }

  let resumes = 0; // a pause's wait for the broker to stop ends once it is let go on
  return {
    version: KAFKA_VERSION,
    listeners: {
      plaintext: bootstrap,
      saslPlaintext: `${host}:${saslPlaintext}`,
      ssl: `${host}:${ssl}`,
      saslSsl: `${host}:${saslSsl}`,
      mtls: `${host}:${mtls}`,
    },
    users: KAFKA_USERS,
    pki,
    logFile: broker.logFile,
    async createTopic(topic, partitions = 1, configs = {}) {
      const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
      // The admin retries nothing (retries: 0), and under load its connection can be closed under it
      // (CI: "Closed connection" in beforeAll): retried until answered; a topic an earlier try made resolves false.
      await broker.waitUntil(
        async () => {
          await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }], waitForLeaders: true });
          return true;
        },
        60_000,
        `create the topic ${topic}`,
      );
      // Under load the broker may answer metadata before every partition's leader has loaded it ("does
      // not host this topic-partition"): ready when every partition has a leader and answers its offsets.
      await broker.waitUntil(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
          if (topics[0]?.partitions.length !== partitions || topics[0].partitions.some((p) => p.leader < 0)) return false;
          await admin.fetchTopicOffsets(topic);
          return true;
        },
        60_000,
        `have the topic ${topic} ready`,
      );
    },
    async kill() {
      // Frozen at once (SIGSTOP), so nothing is answered from the moment kill is called: on a loaded
      // machine the steps below gave a run time to deliver every record first (CI: no retry was ever felt).
      process.kill(broker.pid!, 'SIGSTOP');
      await admin.disconnect().catch(() => undefined);
      await broker.stop(0);
    },
    pause() {
      process.kill(broker.pid!, 'SIGSTOP');
      const at = resumes;
      return untilStopped(broker.pid!, () => resumes === at);
    },
    resume() {
      resumes++;
      process.kill(broker.pid!, 'SIGCONT');
    },
    async restart() {
      broker = ManagedProcess.start('Apache Kafka', 'java', java(['kafka.Kafka', config]), { logFile: path.join(work, 'kafka-restarted.log') });
      await ready();
    },
    kcat(args) {
      requireTool('kcat', 'Reading Kafka messages back independently');
      return execFileSync('kcat', ['-b', bootstrap, ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 256 * 1024 * 1024 });
    },
    async stop() {
      await admin.disconnect().catch(() => undefined);
      await broker.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface KafkaClusterPeer {
  /** The bootstrap list, broker 1 first: host:port of each broker's PLAINTEXT listener. */
  brokers: [string, string, string];
  /** Creates a topic replicated on every broker (min.insync.replicas 1), and waits for its leaders. */
  createTopic(topic: string, partitions?: number): Promise<void>;
  /**
   * Stops broker `n` (1 or 2; broker 3 is also the cluster's one controller) with a clean shutdown,
   * and waits until the cluster's metadata no longer lists it and every partition has a leader elsewhere.
   */
  stopBroker(n: 1 | 2): Promise<void>;
  /** How many brokers the cluster's metadata lists now. */
  liveBrokers(): Promise<number>;
  kcat(args: string[]): string;
  stop(): Promise<void>;
}

/**
 * Three Apache Kafka (KRaft) brokers on loopback, PLAINTEXT only. Broker 3 is also the cluster's single
 * controller (a quorum of one), so brokers 1 and 2 can go down without the cluster losing its metadata.
 * Small heaps and the client compiler only: three JVMs start in about the time of one on two cores.
 */
export function startKafkaCluster(): Promise<KafkaClusterPeer> {
  return startOnFreePorts(startKafkaClusterOnce);
}

async function startKafkaClusterOnce(): Promise<KafkaClusterPeer> {
  const home = await fetchKafka();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-cluster-'));
  const host = '127.0.0.1';
  const [p1, p2, p3, controller] = (await freePorts(4)) as [number, number, number, number];
  const ports = [p1, p2, p3] as const;
  const java = (args: string[]) => [
    '-Xms64m',
    '-Xmx256m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-cp',
    `${home}/libs/*`,
    `-Dlog4j2.configurationFile=${home}/log4j2.properties`,
    ...args,
  ];
  const configs = ports.map((port, i) => {
    const id = i + 1;
    const isController = id === 3;
    const props = [
      `process.roles=${isController ? 'broker,controller' : 'broker'}`,
      `node.id=${id}`,
      `controller.quorum.voters=3@${host}:${controller}`,
      `listeners=PLAINTEXT://${host}:${port}${isController ? `,CONTROLLER://${host}:${controller}` : ''}`,
      `advertised.listeners=PLAINTEXT://${host}:${port}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${path.join(work, `data-${id}`)}`,
      'num.partitions=1',
      'default.replication.factor=3',
      'min.insync.replicas=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'auto.create.topics.enable=false',
      'group.initial.rebalance.delay.ms=0',
      'broker.heartbeat.interval.ms=500',
      'broker.session.timeout.ms=4000',
      'num.network.threads=2',
      'num.io.threads=2',
      'background.threads=2',
      'num.replica.fetchers=1',
    ];
    const file = path.join(work, `server-${id}.properties`);
    fs.writeFileSync(file, props.join('\n') + '\n');
    return file;
  });
  const clusterId = execFileSync('java', java(['kafka.tools.StorageTool', 'random-uuid']), { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  for (const config of configs)
    execFileSync('java', java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config]), { stdio: ['ignore', 'ignore', 'pipe'] });

  // The controller first: the brokers register with it.
  const nodes: (ManagedProcess | undefined)[] = [undefined, undefined, undefined];
  const startNode = (i: number) =>
    (nodes[i] = ManagedProcess.start(`Apache Kafka broker ${i + 1}`, 'java', java(['kafka.Kafka', configs[i]!]), {
      logFile: path.join(work, `kafka-${i + 1}.log`),
    }));
  const brokers = ports.map((p) => `${host}:${p}`) as [string, string, string];
  const admin = new Kafka({ clientId: 'sluice-test-admin', brokers: [brokers[2]], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  const stopAll = async () => {
    await admin.disconnect().catch(() => undefined);
    await Promise.all(nodes.map((n) => n?.stop()));
  };
  const liveBrokers = async () => (await admin.describeCluster()).brokers.length;
  try {
    startNode(2);
    await nodes[2]!.waitUntil(() => canConnect(p3), 90_000, 'listen');
    startNode(0);
    startNode(1);
    await nodes[2]!.waitUntil(
      async () => {
        await admin.connect();
        return (await liveBrokers()) === 3;
      },
      120_000,
      'have all three brokers registered',
    );
  } catch (err) {
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  }

  return {
    brokers,
    liveBrokers,
    async createTopic(topic, partitions = 3) {
      // The admin retries nothing (retries: 0), and its first request to broker 1 or 2 can still be
      // refused just after they registered (CI: ECONNREFUSED in beforeAll): retried until it is answered;
      // a topic made by an earlier try resolves false, which is fine.
      await nodes[2]!.waitUntil(
        async () => {
          await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }], waitForLeaders: true });
          return true;
        },
        60_000,
        `create the topic ${topic}`,
      );
      await nodes[2]!.waitUntil(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
          if (topics[0]?.partitions.length !== partitions || topics[0].partitions.some((p) => p.leader < 0 || p.isr.length < 3)) return false;
          await admin.fetchTopicOffsets(topic);
          return true;
        },
        60_000,
        `have the topic ${topic} replicated on three brokers`,
      );
    },
    async stopBroker(n) {
      await nodes[n - 1]?.stop();
      nodes[n - 1] = undefined;
      await nodes[2]!.waitUntil(
        async () => {
          const { brokers: live } = await admin.describeCluster();
          if (live.some((b) => b.nodeId === n)) return false;
          const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
          const { topics: meta } = await admin.fetchTopicMetadata({ topics });
          return meta.every((t) => t.partitions.every((p) => p.leader >= 0 && p.leader !== n));
        },
        60_000,
        `let broker ${n} go and move its partitions' leaders`,
      );
    },
    kcat(args) {
      requireTool('kcat', 'Reading Kafka messages back independently');
      return execFileSync('kcat', ['-b', brokers[2], ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    },
    async stop() {
      await stopAll();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
