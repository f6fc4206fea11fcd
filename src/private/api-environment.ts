import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { checkShape, SHAPES } from './shapes';
import { BulwarkError } from '../core/errors';

/*
 * Where a brought resource lives. A resource from another region (or account) carries it: a user
 * pool id starts with its region (`eu-west-1_abc`), an ARN holds both. CDK's `fromXxxId()` imports
 * take the stack's region instead, so an issuer or ARN built from them would name the wrong region
 * and every token would be refused. The API constructs use the resource's own region where AWS
 * allows it, and refuse the combination where it cannot work:
 *
 * - Cognito user pools in another region: allowed for REST API authorizers ("Each account can be in
 *   any region where Amazon API Gateway is available", API Gateway developer guide, "Configure
 *   cross-account Amazon Cognito authorizer for a REST API") and for JWT authorizers, whose issuer
 *   is the pool's own URL (`https://cognito-idp.<pool region>.amazonaws.com/<pool id>`).
 * - Web ACLs: "The web ACL and any AWS WAF resources that it uses must be located in the Region where
 *   the associated resource is located" (WAF developer guide, "Resources that you can protect").
 * - ACM certificates of REGIONAL custom domains: "This certificate must be in the same Region as your
 *   API" (API Gateway developer guide, "Set up a Regional custom domain name in API Gateway").
 */

/** `eu-west-1` in `eu-west-1_abc123`: Cognito user pool ids start with their region. */
const POOL_ID_REGION = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+$/;

/** The region of a literal ARN, or undefined for a token (or a string that is not an ARN). */
export function arnRegion(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || Token.isUnresolved(arn) || !arn.startsWith('arn:')) {
    return undefined;
  }
  const region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
  return region === undefined || region === '' || Token.isUnresolved(region) ? undefined : region;
}

/** The region a user pool lives in: its id's prefix when the id is known, else the pool's environment. */
export function userPoolRegion(pool: cognito.IUserPool): string {
  const fromId = typeof pool.userPoolId === 'string' && !Token.isUnresolved(pool.userPoolId) ? POOL_ID_REGION.exec(pool.userPoolId)?.[1] : undefined;
  return fromId ?? pool.env.region;
}

/**
 * The ARN of a user pool in its own region. `UserPool.fromUserPoolId()` builds the ARN with the
 * stack's region; a pool whose id names another region (or any region, in an environment-agnostic
 * stack) gets an ARN with the id's region instead. Otherwise the pool's own ARN.
 */
export function userPoolArn(scope: IConstruct, pool: cognito.IUserPool): string {
  const region = userPoolRegion(pool);
  if (Token.isUnresolved(region) || region === pool.env.region) {
    return pool.userPoolArn;
  }
  return Stack.of(scope).formatArn({ service: 'cognito-idp', region, account: pool.env.account, resource: 'userpool', resourceName: pool.userPoolId });
}

/**
 * Throws when a brought resource is in another region than the construct's stack, where AWS needs
 * them in the same one. Unknown regions (tokens, environment-agnostic stacks) pass.
 *
 * @param prop the prop, for messages
 * @param shown the value to show
 * @param region the resource's region, if known
 * @param why what AWS requires (`WAF associates a web ACL only with resources in its own region`)
 */
export function checkSameRegion(scope: IConstruct, prop: string, shown: unknown, region: string | undefined, why: string): void {
  const stackRegion = Stack.of(scope).region;
  if (region === undefined || Token.isUnresolved(region) || Token.isUnresolved(stackRegion) || region === stackRegion) {
    return;
  }
  throw BulwarkError.invalid(scope, prop, shown, `it is in ${region}, but this stack deploys to ${stackRegion}: ${why}`);
}

/**
 * Throws unless `key` is a customer-managed key a construct can encrypt with and grant: a key (not an
 * alias: IAM policies cannot grant a key by its alias ARN) of the stack's region. Undefined passes.
 *
 * @param service what encrypts with it (`Kinesis`, `S3`), for messages
 */
export function checkDataKey(scope: IConstruct, prop: string, key: unknown, service: string): void {
  checkShape(scope, prop, key, SHAPES.key);
  if (key === undefined) {
    return;
  }
  const given = key as kms.IKey;
  if (typeof (given as Partial<kms.IAlias>).aliasName === 'string') {
    throw BulwarkError.invalid(scope, prop, given.node.path, 'it is an alias: IAM policies cannot grant a key by its alias ARN, so whoever '
      + 'is granted it would be refused; give the key (kms.Key.fromKeyArn() with the key\'s own ARN)');
  }
  checkSameRegion(scope, prop, given.node.path, given.env.region, `${service} encrypts only with a key of its own region`);
}
