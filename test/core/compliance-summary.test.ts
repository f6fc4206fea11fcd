import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceChecks, CompliancePolicy, ComplianceProfile, QueueWorker } from '../../src';
import { INLINE_CODE } from '../support/app';

/** The documented name of the summary in the cloud assembly (docs/compliance.md). */
const COMPLIANCE_SUMMARY_FILE = 'cdk-bulwark-compliance.json';

/*
 * A clean synthesis says that the packs ran: a line on stderr (where CDK prints its validation
 * report) and a JSON file in the cloud assembly, with the unacknowledged findings of each pack and
 * the acknowledged ones by class.
 */

function synthesize(profile: ComplianceProfile, build: (stack: Stack) => void) {
  const app = new App();
  ComplianceChecks.enable(app, { profile });
  const stack = new Stack(app, 'Stack');
  CompliancePolicy.setDefaultProfile(stack, profile);
  build(stack);
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const assembly = app.synth();
    const summary = JSON.parse(fs.readFileSync(path.join(assembly.directory, COMPLIANCE_SUMMARY_FILE), 'utf8'));
    return { summary, printed: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

const worker = (stack: Stack) => new QueueWorker(stack, 'Worker', { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });

describe('ComplianceChecks leaves a summary of a clean synthesis', () => {
  test.each([
    [ComplianceProfile.STANDARD, ['AwsSolutions', 'Serverless']],
    [ComplianceProfile.REGULATED, ['AwsSolutions', 'Serverless', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']],
  ])('%s: every pack, with 0 unacknowledged findings, in the cloud assembly and on stderr', (profile, names) => {
    const { summary, printed } = synthesize(profile, worker);
    expect(summary.profile).toBe(profile);
    expect(summary.packs.map((p: any) => p.pack)).toEqual(names);
    expect(summary.packs.map((p: any) => p.unacknowledged)).toEqual(names.map(() => 0));
    expect(summary.unacknowledged).toBe(0);
    expect(summary.strictCloudFormationValidation).toBe(true);
    expect(printed).toMatch(new RegExp(`^cdk-bulwark compliance \\(${profile}\\): ${names.map((n) => `${n.replace(/\./g, '\\.')} 0`).join(', ')} unacknowledged`));
    expect(printed).toContain(COMPLIANCE_SUMMARY_FILE);
  });

  test('acknowledgements are counted by class: the library\'s from their reasons, the user\'s as "yours"', () => {
    const { summary, printed } = synthesize(ComplianceProfile.STANDARD, (stack) => {
      worker(stack);
      const plain = new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
      Validations.of(plain.node.defaultChild!).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'a test queue without a DLQ' });
      Validations.of(plain.node.defaultChild!).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: 'a test queue without a DLQ' });
    });
    // The worker's DLQ (Serverless-SQSRedrivePolicy) and event source mapping (Serverless-LambdaEventSourceMappingDestination)
    // are false positives; the function's X-Ray and async-failure acknowledgements too.
    expect(summary.acknowledgedByClass.yours).toBe(2);
    expect(summary.acknowledgedByClass['false positive']).toBeGreaterThanOrEqual(3);
    expect(printed).toMatch(/acknowledged: .*2 yours/);
  });

  test('an unacknowledged finding is counted (and synthesis fails, with CDK\'s report)', () => {
    const app = new App();
    ComplianceChecks.enable(app);
    const stack = new Stack(app, 'Stack');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/cdk-bulwark compliance \(STANDARD\): AwsSolutions [1-9]\d*, Serverless [1-9]\d* unacknowledged/);
  });
});
