import { Annotations, App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ApiAuthorization, ApiCloudWatchRole, ApiMethod, ApiRouteDefinition, HttpApiAuthorization, HttpApiRouteDefinition, SecureApi, SecureHttpApi,
  UserDirectory,
} from '../../src';
import { arnRegion, userPoolArn, userPoolRegion } from '../../src/private/api-environment';
import { INLINE_CODE, NO_SUBSCRIBERS, testApp, testStack } from '../support/app';
import { escapeRegExp } from '../support/template';

/*
 * Resources brought from another region (#10 item 5). A user pool id starts with its region, an ARN
 * holds it; CDK's fromUserPoolId() gives the pool the stack's region instead. Where AWS allows the
 * resource elsewhere, the API uses its own region; where it does not, the construct refuses it:
 *
 * - A REST API's Cognito authorizer may use a pool of another account, "in any region where Amazon API
 *   Gateway is available" (API Gateway developer guide, "Configure cross-account Amazon Cognito
 *   authorizer for a REST API",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-cross-account-cognito-authorizer.html).
 * - An HTTP API's JWT authorizer checks the iss claim, which for a Cognito pool is
 *   https://cognito-idp.<pool's region>.amazonaws.com/<pool id>.
 * - "The web ACL and any AWS WAF resources that it uses must be located in the Region where the
 *   associated resource is located" (https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html).
 * - A Regional custom domain's ACM certificate "must be in the same Region as your API"
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html).
 */

const EU_POOL = 'eu-west-1_abcdefghi';

function usEast1(app: App = testApp()): Stack {
  const stack = testStack(app, 'UsStack', { env: { account: '123456789012', region: 'us-east-1' } });
  Annotations.of(stack).acknowledgeWarning(NO_SUBSCRIBERS, 'not under test');
  Annotations.of(stack).acknowledgeWarning('cdk-bulwark:api:sets-account-cloudwatch-role', 'not under test');
  return stack;
}

function handler(stack: Stack): lambda.IFunction {
  return (stack.node.tryFindChild('Handler') as lambda.IFunction | undefined)
    ?? new lambda.Function(stack, 'Handler', { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

function restProviderArns(stack: Stack): unknown {
  const authorizers = Template.fromStack(stack).findResources('AWS::ApiGateway::Authorizer');
  expect(Object.keys(authorizers)).toHaveLength(1);
  return Object.values(authorizers)[0].Properties.ProviderARNs;
}

function restApi(stack: Stack, pool: cognito.IUserPool): SecureApi {
  return new SecureApi(stack, 'Api', {
    userPool: pool, cloudWatchRole: ApiCloudWatchRole.EXISTING, routes: [ApiRouteDefinition.of(ApiMethod.GET, '/x', handler(stack))],
  });
}

function httpIssuer(stack: Stack): unknown {
  const authorizers = Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Authorizer');
  return Object.values(authorizers)[0].Properties.JwtConfiguration.Issuer;
}

describe('the helpers', () => {
  test.each<[string, unknown, string | undefined]>([
    ['a literal ARN', 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/b', 'us-east-1'],
    ['an ARN without a region (IAM)', 'arn:aws:iam::123456789012:role/x', undefined],
    ['not an ARN', 'eu-west-1', undefined],
    ['not a string', 42, undefined],
  ])('arnRegion of %s', (_what, arn, region) => {
    expect(arnRegion(arn)).toBe(region);
  });

  test('a pool id names its region; a created pool has its stack\'s', () => {
    const stack = usEast1();
    expect(userPoolRegion(cognito.UserPool.fromUserPoolId(stack, 'Eu', EU_POOL))).toBe('eu-west-1');
    expect(userPoolRegion(new cognito.UserPool(stack, 'Created'))).toBe('us-east-1');
  });

  test('a pool of the stack\'s region keeps its own ARN', () => {
    const stack = usEast1();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Us', 'us-east-1_abc');
    expect(userPoolArn(stack, pool)).toBe(pool.userPoolArn);
  });
});

describe('SecureApi: a user pool from another region', () => {
  test('the authorizer names the pool in its own region (fromUserPoolId in a us-east-1 stack)', () => {
    const stack = usEast1();
    restApi(stack, cognito.UserPool.fromUserPoolId(stack, 'Pool', EU_POOL));
    expect(restProviderArns(stack)).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cognito-idp:eu-west-1:123456789012:userpool/${EU_POOL}`]] },
    ]);
  });

  test('in an environment-agnostic stack, the pool\'s region is its id\'s, not AWS::Region', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    restApi(stack, cognito.UserPool.fromUserPoolId(stack, 'Pool', EU_POOL));
    expect(restProviderArns(stack)).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:eu-west-1:', { Ref: 'AWS::AccountId' }, `:userpool/${EU_POOL}`]] },
    ]);
  });

  test('provided: a pool of the stack\'s region and a pool ARN of another account are used as they are (cross-account is allowed)', () => {
    const stack = usEast1();
    const arn = 'arn:aws:cognito-idp:us-east-1:210987654321:userpool/us-east-1_abc';
    restApi(stack, cognito.UserPool.fromUserPoolArn(stack, 'Pool', arn));
    expect(restProviderArns(stack)).toEqual([arn]);
  });

  test('created: a pool made in the stack keeps its GetAtt ARN', () => {
    const stack = usEast1();
    const users = new UserDirectory(stack, 'Users');
    restApi(stack, users.userPool);
    expect(restProviderArns(stack)).toEqual([stack.resolve(users.userPool.userPoolArn)]);
  });
});

describe('SecureHttpApi: user pools and issuers', () => {
  test('a pool from another region: the issuer is the pool\'s own', () => {
    const stack = usEast1();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', EU_POOL);
    new SecureHttpApi(stack, 'Api', {
      authorization: HttpApiAuthorization.cognito(pool, [cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'c1')]),
      routes: [HttpApiRouteDefinition.of(ApiMethod.GET, '/x', handler(stack))],
    });
    expect(httpIssuer(stack)).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${EU_POOL}`);
  });

  test('a created pool: the issuer names the stack\'s region', () => {
    const stack = usEast1();
    const users = new UserDirectory(stack, 'Users');
    const client = users.addClient('Web', { kind: 'PUBLIC_CLIENT' as any });
    new SecureHttpApi(stack, 'Api', {
      authorization: HttpApiAuthorization.cognito(users.userPool, [client]),
      routes: [HttpApiRouteDefinition.of(ApiMethod.GET, '/x', handler(stack))],
    });
    expect(httpIssuer(stack)).toEqual({ 'Fn::Join': ['', ['https://cognito-idp.us-east-1.amazonaws.com/', { Ref: expect.any(String) }]] });
  });

  const PREFIX = "SecureHttpApi 'UsStack/Api': authorization: ";
  test.each<[string, (s: Stack) => HttpApiAuthorization, string]>([
    ['the discovery document\'s URL for the issuer', () => HttpApiAuthorization.jwt('https://example.auth0.com/.well-known/openid-configuration', ['a']),
      "issuerUrl is 'https://example.auth0.com/.well-known/openid-configuration'; it is the URL of a document the issuer publishes, not the issuer: "
      + "give the issuer, exactly as the tokens' iss claim and the document's \"issuer\" field say (probably 'https://example.auth0.com' or "
      + "'https://example.auth0.com/'); API Gateway appends /.well-known/openid-configuration itself"],
    ['the key set\'s URL for the issuer', () => HttpApiAuthorization.jwt(`https://cognito-idp.eu-west-1.amazonaws.com/${EU_POOL}/.well-known/jwks.json`, ['a']),
      `issuerUrl is 'https://cognito-idp.eu-west-1.amazonaws.com/${EU_POOL}/.well-known/jwks.json'; it is the URL of a document the issuer publishes`],
    ['a Cognito issuer whose pool is in another region than its URL says', () => HttpApiAuthorization.jwt(
      `https://cognito-idp.us-east-1.amazonaws.com/${EU_POOL}`, ['a']),
    `issuerUrl is 'https://cognito-idp.us-east-1.amazonaws.com/${EU_POOL}'; the user pool id is in eu-west-1 but the URL names us-east-1`],
    ['a Cognito issuer with a trailing slash', () => HttpApiAuthorization.jwt(`https://cognito-idp.eu-west-1.amazonaws.com/${EU_POOL}/`, ['a']),
      `issuerUrl is 'https://cognito-idp.eu-west-1.amazonaws.com/${EU_POOL}/'; Cognito's tokens carry the issuer without a trailing slash`],
    ['a Cognito issuer without a pool id', () => HttpApiAuthorization.jwt('https://cognito-idp.eu-west-1.amazonaws.com/', ['a']),
      "issuerUrl is 'https://cognito-idp.eu-west-1.amazonaws.com/'; a Cognito issuer is https://cognito-idp.<region>.amazonaws.com/<user pool id>"],
    ['a client of another user pool', (s) => {
      const users = new UserDirectory(s, 'Users');
      const others = new UserDirectory(s, 'Others');
      return HttpApiAuthorization.cognito(users.userPool, [others.addClient('Web', { kind: 'PUBLIC_CLIENT' as any })]);
    }, "clients is 'UsStack/Others/Clients/Web/Client'; the client belongs to user pool {\"Ref\":\"OthersUserPool"],
    ['a client made for a pool id other than the one given', (s) => {
      const client = cognito.UserPool.fromUserPoolId(s, 'Other', 'us-east-1_other').addClient('Web');
      return HttpApiAuthorization.cognito(cognito.UserPool.fromUserPoolId(s, 'Pool', 'us-east-1_mine'), [client]);
    }, "clients is 'UsStack/Other/Web'; the client belongs to user pool us-east-1_other, not to us-east-1_mine"],
  ])('refuses %s', (_what, authorization, message) => {
    const stack = usEast1();
    expect(() => new SecureHttpApi(stack, 'Api', { authorization: authorization(stack) })).toThrow(
      new RegExp(`^${escapeRegExp(PREFIX + message)}`));
  });

  test.each([
    `https://cognito-idp.eu-west-1.amazonaws.com/${EU_POOL}`,
    'https://example.auth0.com/',
    'https://login.microsoftonline.com/tenant/v2.0',
  ])('accepts the issuer %s', (issuer) => {
    const stack = usEast1();
    expect(() => new SecureHttpApi(stack, 'Api', { authorization: HttpApiAuthorization.jwt(issuer, ['a']) })).not.toThrow();
  });

  test('a client made by the given pool is accepted', () => {
    const stack = usEast1();
    const users = new UserDirectory(stack, 'Users');
    const client = users.addClient('Web', { kind: 'PUBLIC_CLIENT' as any });
    expect(() => new SecureHttpApi(stack, 'Api', { authorization: HttpApiAuthorization.cognito(users.userPool, [client]) })).not.toThrow();
  });
});

describe('both APIs: a certificate, and SecureApi\'s web ACL, must be in the API\'s region', () => {
  const US_CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
  const apis = {
    SecureApi: (s: Stack, certificate: acm.ICertificate) => new SecureApi(s, 'Api', {
      authorization: ApiAuthorization.iam(), domain: { domainName: 'api.example.com', certificate },
    }),
    SecureHttpApi: (s: Stack, certificate: acm.ICertificate) => new SecureHttpApi(s, 'Api', {
      authorization: HttpApiAuthorization.iam(), domain: { domainName: 'api.example.com', certificate },
    }),
  };

  test.each(Object.keys(apis))('%s refuses a certificate ARN of another region', (name) => {
    const stack = testStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', US_CERTIFICATE);
    expect(() => apis[name as keyof typeof apis](stack, certificate)).toThrow(`${name} 'TestStack/Api': domain.certificate is '${US_CERTIFICATE}'; `
      + 'it is in us-east-1, but this stack deploys to eu-west-1: a regional custom domain needs an ACM certificate in the API\'s own region');
  });

  test.each(Object.keys(apis))('%s refuses a certificate made in a stack of another region', (name) => {
    const app = testApp();
    const stack = testStack(app);
    const certificate = new acm.Certificate(usEast1(app), 'Cert', { domainName: 'api.example.com' });
    expect(() => apis[name as keyof typeof apis](stack, certificate)).toThrow(
      'domain.certificate is \'UsStack/Cert\'; it is in us-east-1, but this stack deploys to eu-west-1');
  });

  test.each(Object.keys(apis))('%s accepts a certificate of its region, and any in an environment-agnostic stack', (name) => {
    const stack = testStack();
    expect(() => apis[name as keyof typeof apis](stack, acm.Certificate.fromCertificateArn(stack, 'Cert', US_CERTIFICATE.replace('us-east-1', 'eu-west-1'))))
      .not.toThrow();
    const agnostic = new Stack(testApp(), 'Agnostic');
    expect(() => apis[name as keyof typeof apis](agnostic, acm.Certificate.fromCertificateArn(agnostic, 'Cert', US_CERTIFICATE))).not.toThrow();
  });

  test('SecureApi refuses a web ACL of another region, and accepts one of its own', () => {
    const arn = (region: string) => `arn:aws:wafv2:${region}:123456789012:regional/webacl/shared/1234abcd`;
    const stack = testStack();
    const make = (region: string, id: string) => new SecureApi(stack, id, {
      authorization: ApiAuthorization.iam(), firewall: { webAclArn: arn(region) },
    });
    expect(() => make('us-east-1', 'Api')).toThrow(`SecureApi 'TestStack/Api': firewall.webAclArn is '${arn('us-east-1')}'; it is in us-east-1, `
      + 'but this stack deploys to eu-west-1: WAF associates a web ACL only with resources in its own region');
    expect(() => make('eu-west-1', 'Other')).not.toThrow();
  });
});
