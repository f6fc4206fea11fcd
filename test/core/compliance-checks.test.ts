import { App, Stack } from 'aws-cdk-lib';
import { Annotations } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceChecks, CompliancePolicy, ComplianceProfile, QueueWorker } from '../../src';
import { INLINE_CODE } from '../support/app';

describe('ComplianceChecks', () => {
  test.each([
    [ComplianceProfile.STANDARD, ['AwsSolutions', 'Serverless']],
    [ComplianceProfile.REGULATED, ['AwsSolutions', 'Serverless', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']],
  ])('%s runs exactly its packs', (profile, names) => {
    expect(ComplianceChecks.packsFor(profile).map((p) => p.readPackName)).toEqual(names);
  });

  test('enable() makes CloudFormation Validate strict on a fresh app', () => {
    const app = new App();
    ComplianceChecks.enable(app);
    expect(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
    expect(app.node.tryGetContext('@aws-cdk/core:strictCfnValidateErrors')).toBe(true);
  });

  test('enable() uses the app default profile when none is given', () => {
    const app = new App();
    CompliancePolicy.setDefaultProfile(app, ComplianceProfile.REGULATED);
    expect(ComplianceChecks.enable(app).map((p) => p.readPackName)).toContain('HIPAA.Security');
  });

  test('an unacknowledged finding fails synthesis', () => {
    const app = new App();
    ComplianceChecks.enable(app);
    const stack = new Stack(app, 'Stack');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  test('a QueueWorker synthesizes under the REGULATED packs with strict validation', () => {
    const app = new App();
    ComplianceChecks.enable(app, { profile: ComplianceProfile.REGULATED });
    const stack = new Stack(app, 'Stack');
    CompliancePolicy.setDefaultProfile(stack, ComplianceProfile.REGULATED);
    new QueueWorker(stack, 'Worker', { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
    expect(() => app.synth()).not.toThrow();
  });

  test('enable() after constructs were added warns that it could not set the flags', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    ComplianceChecks.enable(app);
    expect(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBeUndefined();
    void stack;
    const warnings = app.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/could not set @aws-cdk\/core:validateAgainstDefaultRules/);
    void Annotations;
  });
});

describe('CompliancePolicy', () => {
  test('a construct prop beats the scope default, which beats STANDARD', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    expect(CompliancePolicy.resolve(stack)).toBe(ComplianceProfile.STANDARD);
    CompliancePolicy.setDefaultProfile(stack, ComplianceProfile.REGULATED);
    expect(CompliancePolicy.resolve(stack)).toBe(ComplianceProfile.REGULATED);
    expect(CompliancePolicy.resolve(stack, ComplianceProfile.STANDARD)).toBe(ComplianceProfile.STANDARD);
  });

  test('a bad context value is a clear error, not a silent STANDARD', () => {
    const app = new App({ context: { 'cdk-bulwark:complianceProfile': 'strict' } });
    const stack = new Stack(app, 'Stack');
    expect(() => new QueueWorker(stack, 'Worker', { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } }))
      .toThrow("QueueWorker 'Stack/Worker': context value 'cdk-bulwark:complianceProfile' is 'strict'; it must be one of STANDARD, REGULATED");
  });
});
