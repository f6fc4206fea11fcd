import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { SecureFunction } from '../../src';
import { resolveHandler } from '../../src/function/handler';
import { constructContext } from '../../src/monitoring/construct-context';
import { INLINE_CODE, newStack, STRICT_VALIDATION_CONTEXT, testApp, testStack } from '../support/app';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const ACCOUNT = '123456789012';

/** The Lambda permissions of the template, by principal. */
function permissions(stack: Stack): Array<{ Principal: string; SourceArn?: unknown; SourceAccount?: unknown }> {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Permission')).map((r) => r.Properties);
}

// Confused-deputy protection for service principals: aws:SourceArn and aws:SourceAccount (Lambda
// developer guide, "Working with resource-based IAM policies in Lambda"; IAM user guide, "The
// confused deputy problem"). Every permission that lets a service invoke a library function with a
// SourceArn also gets the SourceAccount of that ARN, whoever creates it and wherever.
describe('service permissions to invoke a SecureFunction carry SourceAccount as well as SourceArn', () => {
  test('an EventBridge rule target, an SNS subscription and an HTTP API route (its permission lives under the route)', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(fn.lambdaFunction)] });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn.lambdaFunction));
    const api = new apigwv2.HttpApi(stack, 'Api');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new integrations.HttpLambdaIntegration('Orders', fn.lambdaFunction) });

    const found = permissions(stack);
    expect(found.map((p) => p.Principal).sort()).toEqual(['apigateway.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com']);
    for (const permission of found) {
      expect(permission.SourceArn).toBeDefined();
      expect(permission.SourceAccount).toBe(ACCOUNT);
    }
  });

  test('in a stack without a concrete account, the account is the stack\'s own (AWS::AccountId)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Agnostic');
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const api = new apigwv2.HttpApi(stack, 'Api');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new integrations.HttpLambdaIntegration('Orders', fn.lambdaFunction) });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn.lambdaFunction));
    for (const permission of permissions(stack)) {
      expect(permission.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    }
  });

  test('a literal ARN of another account gives that account', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    fn.lambdaFunction.addPermission('Other', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: 'arn:aws:sns:eu-west-1:210987654321:orders' });
    expect(permissions(stack)).toEqual([expect.objectContaining({ SourceAccount: '210987654321' })]);
  });

  test.each([
    ['a permission that already has SourceAccount', (fn: lambda.IFunction) => fn.addPermission('P', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: 'arn:aws:sns:eu-west-1:123456789012:t', sourceAccount: '111111111111' }), '111111111111'],
    ['a permission without SourceArn', (fn: lambda.IFunction) => fn.addPermission('P', { principal: new iam.ServicePrincipal('sns.amazonaws.com') }), undefined],
    ['an S3 permission for a bucket from elsewhere (bucket ARNs carry no account)', (fn: lambda.IFunction) => fn.addPermission('P', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: 'arn:aws:s3:::bucket' }), undefined],
    ['an ARN from a parameter (any account)', (fn: lambda.IFunction) => fn.addPermission('P', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: new CfnParameter(Stack.of(fn), 'TopicArn').valueAsString }), undefined],
    ['an account principal', (fn: lambda.IFunction) => fn.addPermission('P', { principal: new iam.AccountPrincipal('210987654321') }), undefined],
  ])('%s is left as it is', (_name, add, expected) => {
    // Without strict CloudFormation Validate: it rightly warns about some of these (W3663).
    const stack = testStack(new App());
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    add(fn.lambdaFunction);
    expect(permissions(stack)[0].SourceAccount).toEqual(expected);
  });

  test('an S3 permission for a bucket of this app gets the stack\'s account', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    fn.lambdaFunction.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: bucket.bucketArn });
    expect(permissions(stack)).toEqual([expect.objectContaining({ Principal: 's3.amazonaws.com', SourceAccount: ACCOUNT })]);
  });

  test('a function the library did not get is left as it is', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', HANDLER);
    const mine = new lambda.Function(stack, 'Mine', { ...HANDLER, runtime: lambda.Runtime.NODEJS_24_X });
    mine.addPermission('P', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: 'arn:aws:sns:eu-west-1:123456789012:t' });
    expect(permissions(stack)[0].SourceAccount).toBeUndefined();
  });

  test('a handler brought to a construct gets the same', () => {
    const stack = newStack();
    const brought = new lambda.Function(stack, 'Brought', { ...HANDLER, runtime: lambda.Runtime.NODEJS_24_X });
    const owner = new SecureFunction(stack, 'Owner', HANDLER); // any construct with a context
    resolveHandler(owner, constructContext(owner, {}), { handler: brought });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(brought));
    expect(permissions(stack)).toEqual([expect.objectContaining({ Principal: 'sns.amazonaws.com', SourceAccount: ACCOUNT })]);
  });

  test('each stage scopes its own functions', () => {
    const app = new App({ context: STRICT_VALIDATION_CONTEXT });
    const a = new Stack(app, 'A', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const b = new Stack(app, 'B', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const fa = new SecureFunction(a, 'Fn', HANDLER);
    const fb = new SecureFunction(b, 'Fn', HANDLER);
    new sns.Topic(a, 'T').addSubscription(new subscriptions.LambdaSubscription(fa.lambdaFunction));
    new sns.Topic(b, 'T').addSubscription(new subscriptions.LambdaSubscription(fb.lambdaFunction));
    expect(permissions(a)[0].SourceAccount).toBe(ACCOUNT);
    expect(permissions(b)[0].SourceAccount).toBe(ACCOUNT);
  });
});

