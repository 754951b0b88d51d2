// S3-compatible object storage as a deployment configures it: a store named s3://bucket/prefix, the
// endpoint, region and keys from the usual AWS variables (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL
// for a self-hosted store: MinIO, Ceph, s3rver). Shared by the photo store and the raster store.
import { S3Client } from '@aws-sdk/client-s3';

export interface S3Location {
  bucket: string;
  /** Without leading or trailing slashes; '' for the bucket's root. */
  prefix: string;
}

export const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** The bucket and prefix of s3://bucket/prefix; `variable` names the setting in the error. */
export function parseS3Url(url: string, variable: string): S3Location {
  const m = S3_URL.exec(url);
  if (!m) throw new Error(`${variable} ${url} is not s3://bucket/prefix.`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** `key` under the location's prefix. */
export function s3Key(location: S3Location, key: string): string {
  return location.prefix ? `${location.prefix}/${key}` : key;
}

export function s3ClientFromEnv(env: Record<string, string | undefined> = process.env): S3Client {
  // Node 20 is this project's runtime, and the lockfile pins an SDK that supports it; the SDK's
  // notice that later releases will need Node 22 would otherwise print in every thread that reads
  // the object store. (Raising @aws-sdk/client-s3 past January 2027 needs Node 22 first.)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  // A self-hosted store answers at its own address, the bucket in the path.
  // The SDK waits forever on a store that accepts connections and never answers: bound both.
  return new S3Client({ region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1', requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 }, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
}
