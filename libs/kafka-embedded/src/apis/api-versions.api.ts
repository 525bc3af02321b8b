import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { isSupportedVersion, SUPPORTED_API_VERSIONS } from '../protocol/api-versions';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

function writeV0(w: ByteWriter, errorCode: number): ByteWriter {
  w.int16(errorCode);
  w.array([...SUPPORTED_API_VERSIONS], (w, [key, range]) => w.int16(key).int16(range.min).int16(range.max));
  return w;
}

/**
 * An ApiVersions request in a version we do not serve is answered in v0 form
 * with UNSUPPORTED_VERSION and our ranges, so the client retries with one we do.
 */
export function unsupportedApiVersionsResponse(): ByteWriter {
  return writeV0(new ByteWriter(), ErrorCode.UNSUPPORTED_VERSION);
}

export const apiVersionsApi: ApiHandler = {
  apiKey: ApiKey.ApiVersions,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    if (!isSupportedVersion(ApiKey.ApiVersions, v)) return unsupportedApiVersionsResponse();
    if (v >= 3) {
      r.compactString(); // client software name
      r.compactString(); // client software version
      r.taggedFields();
    }
    const w = new ByteWriter();
    if (v < 3) {
      writeV0(w, ErrorCode.NONE);
      if (v >= 1) w.int32(0);
      return w;
    }
    w.int16(ErrorCode.NONE);
    w.compactArray([...SUPPORTED_API_VERSIONS], (w, [key, range]) => w.int16(key).int16(range.min).int16(range.max).taggedFields());
    w.int32(0);
    w.taggedFields();
    return w;
  },
};
