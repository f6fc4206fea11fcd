import { SCENARIOS } from './compliance-scenarios';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile } from '../../src';
import { UserDirectory, UserDirectoryClientKind } from '../../src/user-directory/user-directory';
import { FLAG_SETS, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, describeCompliance, failingFindings, lines } from '../support/compliance';

describeCompliance('UserDirectory', SCENARIOS, expected as Record<string, string[]>, FLAG_SETS);

describe('UserDirectory compliance, beyond the matrix', () => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])(
    '%s leaves no finding of any pack on the user pool, its clients, groups and domain', (profile) => {
      const app = testApp({}, { context: COMPLIANCE_CONTEXT });
      const stack = testStack(app);
      const users = new UserDirectory(stack, 'Users', { complianceProfile: profile, domainPrefix: 'example-login', groups: ['admins'] });
      users.addClient('Web', { kind: UserDirectoryClientKind.PUBLIC_CLIENT, callbackUrls: ['https://app.example.com/cb'] });
      users.addClient('Server', { kind: UserDirectoryClientKind.CONFIDENTIAL_CLIENT });

      const report = complianceReport(app);

      // All five packs, whatever the profile: STANDARD acknowledges only AwsSolutions-COG8.
      expect(lines(report.findings.filter((f) => f.path.startsWith('Users/')))).toEqual([]);
      expect(lines(failingFindings(report, profile))).toEqual([]);
    });

  test('the acknowledgement of AwsSolutions-COG8 names the prop that turns the Plus plan on', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    new UserDirectory(stack, 'Users');

    const report = complianceReport(app);

    expect(report.acknowledgements).toEqual([expect.objectContaining({
      rule: 'AwsSolutions-COG8',
      path: 'Users/UserPool/Resource',
      reason: expect.stringMatching(/^\[priced feature\] .*threatProtection: true/),
    })]);
  });
});
