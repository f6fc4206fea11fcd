import * as acm from 'aws-cdk-lib/aws-certificatemanager';

/**
 * A custom domain name for a `SecureApi` or a `SecureHttpApi`: a regional endpoint with TLS 1.2 as
 * the minimum version, mapped to the API's stage. DNS is yours: point a record at the created
 * domain name's `regionalDomainName` (an alias, or a CNAME).
 */
export interface ApiDomainOptions {
  /** The domain name, such as `api.example.com` (lowercase; a wildcard such as `*.example.com` is allowed). */
  readonly domainName: string;

  /**
   * An ACM certificate for `domainName`, in the API's region (a regional endpoint).
   */
  readonly certificate: acm.ICertificate;

  /**
   * The base path the API is served under, one path segment (`orders` serves it at
   * `https://api.example.com/orders/...`).
   *
   * @default - the root of the domain
   */
  readonly basePath?: string;
}
