// A local S3-compatible server (s3rver) for tests of object storage: a bucket, the endpoint and the
// credentials it accepts, set in the environment the way a deployment sets them for the AWS SDK.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// s3rver ships no type declarations: the two calls used here are typed below.
// @ts-expect-error -- untyped CommonJS module
import S3rver from 's3rver';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

export interface LocalS3 {
  endpoint: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalS3(bucket: string): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-s3-'));
  const server = new (S3rver as new (o: object) => S3rverInstance)({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    // s3rver's fixed credentials.
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
