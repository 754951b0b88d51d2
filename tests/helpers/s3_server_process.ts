// The process startLocalS3 (s3_server.ts) runs: s3rver on a free port, which it prints as JSON.
// s3rver ships no type declarations: the two calls used here are typed below.
// @ts-expect-error -- untyped CommonJS module
import S3rver from 's3rver';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
}

const [directory, bucket] = process.argv.slice(2);
const server = new (S3rver as new (o: object) => S3rverInstance)({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
console.log(JSON.stringify({ port }));
