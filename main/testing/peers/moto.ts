import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedEntry } from './cache';
import { ManagedProcess } from './managed-process';
import { freePorts } from './ports';
import { requireTool } from './requirements';
import { LOCAL_AWS_CREDENTIALS, LOCAL_REGION } from './kinesis';

export const MOTO_VERSION = '5.2.5';

export interface MotoPeer {
  /** One endpoint for every service moto emulates (STS, Firehose, S3, IAM, Kinesis…). */
  endpoint: string;
  region: string;
  credentials: typeof LOCAL_AWS_CREDENTIALS;
  stop(): Promise<void>;
}

/** moto[server] in a virtualenv in the peers cache, installed once from PyPI. */
export async function fetchMoto(): Promise<string> {
  requireTool('python3', 'The moto AWS emulator');
  return cachedEntry(`moto-${MOTO_VERSION}`, (dir) => {
    const venv = spawnSync('python3', ['-m', 'venv', path.join(dir, 'venv')], { encoding: 'utf8' });
    if (venv.status !== 0) throw new Error(`python3 -m venv failed (install python3-venv):\n${venv.stderr}`);
    const pip = spawnSync(
      path.join(dir, 'venv/bin/python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`],
      { encoding: 'utf8' },
    );
    if (pip.status !== 0) throw new Error(`pip could not install moto[server]==${MOTO_VERSION}:\n${pip.stdout}\n${pip.stderr}`);
  });
}

export async function startMoto(): Promise<MotoPeer> {
  const home = await fetchMoto();
  const [port] = (await freePorts(1)) as [number];
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-moto-'));
  // `python -m` rather than the moto_server script: the venv was built in a staging folder and
  // renamed, so its scripts' shebangs point at the old path; its python still works.
  const proc = ManagedProcess.start('moto', path.join(home, 'venv/bin/python'), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    logFile: path.join(logDir, 'moto.log'),
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true', AWS_DEFAULT_REGION: LOCAL_REGION },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await proc.waitUntil(async () => (await fetch(`${endpoint}/moto-api/`)).ok, 60_000, 'answer HTTP');
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    stop: async () => {
      await proc.stop();
      fs.rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** One call to moto's IAM API (form-encoded, as the AWS CLI sends it); the XML answer. */
export async function motoIam(moto: MotoPeer, params: Record<string, string>): Promise<string> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_AWS_CREDENTIALS.accessKeyId}/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${params.Action}: ${text}`);
  return text;
}

/** An IAM user allowed exactly `actions` on every resource; its new access key. */
export async function createMotoUser(moto: MotoPeer, name: string, actions: string[]): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await motoIam(moto, { Action: 'CreateUser', UserName: name });
  await motoIam(moto, {
    Action: 'PutUserPolicy',
    UserName: name,
    PolicyName: 'sluice',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }),
  });
  const xml = await motoIam(moto, { Action: 'CreateAccessKey', UserName: name });
  return { accessKeyId: /<AccessKeyId>(.+?)<\/AccessKeyId>/.exec(xml)![1]!, secretAccessKey: /<SecretAccessKey>(.+?)<\/SecretAccessKey>/.exec(xml)![1]! };
}

/** An IAM user with exactly this policy document (inline); its ARN and new access key. */
export async function createMotoUserWithPolicy(
  moto: MotoPeer,
  name: string,
  policy: object,
): Promise<{ arn: string; accessKeyId: string; secretAccessKey: string }> {
  const user = await motoIam(moto, { Action: 'CreateUser', UserName: name });
  await motoIam(moto, { Action: 'PutUserPolicy', UserName: name, PolicyName: 'sluice', PolicyDocument: JSON.stringify(policy) });
  const xml = await motoIam(moto, { Action: 'CreateAccessKey', UserName: name });
  return {
    arn: /<Arn>(.+?)<\/Arn>/.exec(user)![1]!,
    accessKeyId: /<AccessKeyId>(.+?)<\/AccessKeyId>/.exec(xml)![1]!,
    secretAccessKey: /<SecretAccessKey>(.+?)<\/SecretAccessKey>/.exec(xml)![1]!,
  };
}

/** A role with this trust policy and this (inline) permissions policy; its ARN. */
export async function createMotoRole(moto: MotoPeer, name: string, trustPolicy: object, policy: object): Promise<string> {
  const xml = await motoIam(moto, { Action: 'CreateRole', RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trustPolicy) });
  await motoIam(moto, { Action: 'PutRolePolicy', RoleName: name, PolicyName: 'sluice', PolicyDocument: JSON.stringify(policy) });
  return /<Arn>(.+?)<\/Arn>/.exec(xml)![1]!;
}

/** Turns moto's IAM enforcement on (every request checked against its user's policy) or off. */
export const enforceMotoIam = (moto: MotoPeer, on: boolean) => fetch(`${moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : 'inf' });
