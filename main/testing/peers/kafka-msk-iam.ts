import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { fetchKafka } from './kafka';
import { ManagedProcess } from './managed-process';
import { canConnect, freePorts } from './ports';

export interface MskIamBroker {
  /** SASL_PLAINTEXT with only OAUTHBEARER, checked as an MSK IAM login (MskIamTestValidator.java). */
  iamListener: string;
  plaintext: string;
  /** Every token the broker was given, in order. */
  tokens(): string[];
  createTopic(topic: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real single-node Apache Kafka whose SASL listener enables only OAUTHBEARER and takes a token only
 * when it is an MSK IAM login for `accessKeyId` (a stand-in for MSK's IAM check), recording each one.
 */
export async function startMskIamBroker(accessKeyId: string): Promise<MskIamBroker> {
  const home = await fetchKafka();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-msk-'));
  const classes = path.join(work, 'classes');
  execFileSync('javac', ['-cp', `${home}/libs/*`, '-d', classes, path.join(__dirname, '../msk-iam/MskIamTestValidator.java')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tokensFile = path.join(work, 'tokens.txt');
  const [plaintext, controller, iam] = (await freePorts(3)) as [number, number, number];
  const host = '127.0.0.1';
  const config = path.join(work, 'server.properties');
  fs.writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${controller}`,
      `listeners=PLAINTEXT://${host}:${plaintext},CONTROLLER://${host}:${controller},SASL_PLAINTEXT://${host}:${iam}`,
      `advertised.listeners=PLAINTEXT://${host}:${plaintext},SASL_PLAINTEXT://${host}:${iam}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${path.join(work, 'data')}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'auto.create.topics.enable=false',
      'sasl.enabled.mechanisms=OAUTHBEARER',
      'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
      'listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class=MskIamTestValidator',
    ].join('\n') + '\n',
  );
  const java = (args: string[]) => [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-cp',
    `${home}/libs/*:${classes}`,
    `-Dlog4j2.configurationFile=${home}/log4j2.properties`,
    `-Dsluice.msk.accessKey=${accessKeyId}`,
    `-Dsluice.msk.tokens=${tokensFile}`,
    ...args,
  ];
  const clusterId = execFileSync('java', java(['kafka.tools.StorageTool', 'random-uuid']), { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('java', java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config]), { stdio: ['ignore', 'ignore', 'pipe'] });
  const broker = ManagedProcess.start('Apache Kafka (MSK IAM stand-in)', 'java', java(['kafka.Kafka', config]), { logFile: path.join(work, 'kafka.log') });
  const admin = new Kafka({ clientId: 'sluice-test-admin', brokers: [`${host}:${plaintext}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await broker.waitUntil(() => canConnect(plaintext), 60_000, 'listen');
    await broker.waitUntil(async () => (await admin.connect(), await admin.describeCluster(), true), 60_000, 'answer metadata requests');
  } catch (err) {
    await admin.disconnect().catch(() => undefined);
    await broker.stop();
    throw err;
  }
  return {
    iamListener: `${host}:${iam}`,
    plaintext: `${host}:${plaintext}`,
    tokens: () => (fs.existsSync(tokensFile) ? fs.readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean) : []),
    async createTopic(topic) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await broker.waitUntil(async () => (await admin.fetchTopicOffsets(topic)).length === 1, 60_000, `have the topic ${topic} ready`);
    },
    async stop() {
      await admin.disconnect().catch(() => undefined);
      await broker.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
