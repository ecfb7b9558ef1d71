import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cachedEntry } from './cache';
import { requireTool } from './requirements';

/** AWS's own Java MSK IAM library (software.amazon.msk:aws-msk-iam-auth), the reference Sluice's login is held to. */
export const MSK_IAM_AUTH_VERSION = '2.3.0';
const KAFKA_CLIENTS_VERSION = '3.9.1';

/** The library and what it needs (the AWS SDK, kafka-clients), from Maven Central, fetched once into the peers cache: its `libs/`. */
export async function fetchMskIamAuth(): Promise<string> {
  requireTool('java', 'The MSK IAM reference (aws-msk-iam-auth)');
  requireTool('mvn', 'Fetching the MSK IAM reference (aws-msk-iam-auth)');
  return cachedEntry(`aws-msk-iam-auth-${MSK_IAM_AUTH_VERSION}`, (dir) => {
    fs.writeFileSync(
      path.join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.testpeers</groupId><artifactId>msk-iam-reference</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>software.amazon.msk</groupId><artifactId>aws-msk-iam-auth</artifactId><version>${MSK_IAM_AUTH_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId><version>${KAFKA_CLIENTS_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`,
    );
    const mvn = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=libs', '-DincludeScope=runtime'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (mvn.status !== 0) throw new Error(`Maven could not fetch aws-msk-iam-auth ${MSK_IAM_AUTH_VERSION}:\n${mvn.stdout}\n${mvn.stderr}`);
  });
}
