import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { checkKnownProps, propKeys } from './props';
import { checkGrantee } from './shapes';
import { BulwarkError } from '../core/errors';
import type { ServiceGrantOptions } from '../core/service-grant-options';

/*
 * Grants that may land in a resource policy (a topic's, a queue's, a key's): the one place that
 * refuses `*` principals and scopes every service principal to the account (and, when the caller
 * says, the resource) it acts for, so that a service cannot be made a confused deputy.
 */

const GRANT_OPTIONS = propKeys<ServiceGrantOptions>()('ServiceGrantOptions', ['sourceArn', 'sourceAccount']);

/**
 * The grantee to write into resource and key policies: `grantee` itself for roles, users and
 * accounts; a service principal with `aws:SourceAccount` (and `aws:SourceArn` when given) as
 * conditions. Refuses a grantee that is not an `iam.IGrantable`, principals that mean everyone
 * (`AnyPrincipal`, `StarPrincipal`, `*` in an ARN or account), and source options for principals
 * that are not services. `method` names the call in errors, e.g. `grantPublish()`.
 */
export function scopedGrantee(scope: IConstruct, method: string, grantee: iam.IGrantable, options: ServiceGrantOptions = {}): iam.IGrantable {
  checkGrantee(scope, method, grantee);
  options = options ?? {};
  if (typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `${method} options`, options, 'they must be ServiceGrantOptions: { sourceArn?, sourceAccount? }');
  }
  checkKnownProps(scope, options, GRANT_OPTIONS, `options of ${method}`);
  const principal = grantee.grantPrincipal;
  const json = Stack.of(scope).resolve(principal.policyFragment.principalJson) as Record<string, unknown>;
  if (meansEveryone(json)) {
    throw new BulwarkError(scope, `${method} cannot grant to everyone (${principal}); name the principals that need it: a role, an account `
      + '(new iam.AccountPrincipal(\'111122223333\')) or an AWS service (new iam.ServicePrincipal(\'s3.amazonaws.com\'), scoped to this account)');
  }
  const services = [json.Service ?? []].flat();
  if (services.length === 0) {
    for (const [prop, value] of Object.entries({ sourceArn: options.sourceArn, sourceAccount: options.sourceAccount })) {
      if (value !== undefined) {
        throw BulwarkError.invalid(scope, `${method} ${prop}`, value, `it applies to AWS service principals only, and ${principal} is not one; leave it unset`);
      }
    }
    return grantee;
  }
  if (Object.keys(json).length > 1) {
    throw new BulwarkError(scope, `${method} takes a service principal alone, and ${principal} mixes it with others; grant each of them separately`);
  }
  const arnAccount = checkSource(scope, method, options);
  const conditions: Record<string, Record<string, unknown>> = {
    StringEquals: { 'aws:SourceAccount': options.sourceAccount ?? arnAccount ?? Stack.of(scope).account },
  };
  if (options.sourceArn !== undefined) {
    conditions.ArnLike = { 'aws:SourceArn': options.sourceArn };
  }
  return new iam.PrincipalWithConditions(principal, conditions);
}

/** Whether a rendered principal is `*`, or names `*` (an ARN or account with a wildcard). */
export function meansEveryone(json: Record<string, unknown>): boolean {
  return Object.entries(json).some(([kind, values]) => kind === '*'
    || (kind !== 'Service' && [values].flat().some((v) => typeof v === 'string' && v.includes('*'))));
}

/** Checks the source options; returns the account the source ARN names, if it names one. */
function checkSource(scope: IConstruct, method: string, options: ServiceGrantOptions): string | undefined {
  const { sourceArn, sourceAccount } = options;
  if (sourceAccount !== undefined && !Token.isUnresolved(sourceAccount) && (typeof sourceAccount !== 'string' || !/^\d{12}$/.test(sourceAccount))) {
    throw BulwarkError.invalid(scope, `${method} sourceAccount`, sourceAccount, 'it must be a 12-digit AWS account id');
  }
  if (sourceArn === undefined || Token.isUnresolved(sourceArn)) {
    return undefined;
  }
  if (typeof sourceArn !== 'string' || !sourceArn.startsWith('arn:') || sourceArn.split(':').length < 6) {
    throw BulwarkError.invalid(scope, `${method} sourceArn`, sourceArn, 'it must be an ARN (arn:partition:service:region:account:resource)');
  }
  // Some ARNs name no account (S3 buckets: arn:aws:s3:::name).
  const account = sourceArn.split(':')[4];
  if (!/^\d{12}$/.test(account)) {
    return undefined;
  }
  if (sourceAccount !== undefined && !Token.isUnresolved(sourceAccount) && account !== sourceAccount) {
    throw BulwarkError.invalid(scope, `${method} sourceArn`, sourceArn, `it names account ${account}, but sourceAccount is ${sourceAccount}; they must agree`);
  }
  return account;
}
