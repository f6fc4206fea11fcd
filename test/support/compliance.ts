import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { TEST_ACCOUNT_CONTEXT } from './app';
import { ComplianceChecks, ComplianceProfile } from '../../src';

/** One finding: a rule that flagged a resource. Warnings and rule errors count the same as errors. */
export interface Finding {
  /** Pack (or `CloudFormation Validate`) that reported it. */
  readonly source: string;
  /** Rule id, with the finding suffix for per-finding rules: `AwsSolutions-IAM5[Resource::*]`. */
  readonly rule: string;
  /** Construct path of the flagged resource, relative to the stack (`W/Queue/Resource`). */
  readonly path: string;
  readonly severity: string;
}

/** An acknowledgement found in the construct tree. */
export interface Acknowledgement {
  /** Rule id as acknowledged. */
  readonly rule: string;
  /** Construct path it is placed on, relative to the stack. */
  readonly path: string;
  readonly reason: string;
}

/** Everything the compliance checks found for one synthesized app. */
export interface ComplianceReport {
  /** Unacknowledged cdk-nag findings of all five packs. */
  readonly findings: Finding[];
  /** Unacknowledged CloudFormation Validate findings (from the app's validation report). */
  readonly cfnValidate: Finding[];
  /** Unacknowledged construct warnings (`rule` is the warning id). */
  readonly warnings: Finding[];
  /** cdk-nag acknowledgements present in the tree (ours and any the test added). */
  readonly acknowledgements: Acknowledgement[];
  /**
   * Acknowledgements that matched no finding on exactly the resource they are placed on: unused,
   * or broader than their finding (placed above the resource).
   */
  readonly unusedAcknowledgements: Acknowledgement[];
}

/** The packs' rule prefixes: acknowledgements with these ids are cdk-nag's. */
const NAG_PREFIXES = ['AwsSolutions-', 'Serverless-', 'HIPAA.Security-', 'NIST.800.53.R5-', 'PCI.DSS.321-'];
const STANDARD_SOURCES = ['AwsSolutions', 'Serverless'];

/** Context for a compliance run: strict CloudFormation Validate, reported to a file instead of thrown. */
export const COMPLIANCE_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
  '@aws-cdk/core:failSynthOnValidationErrors': false,
  ...TEST_ACCOUNT_CONTEXT,
};

/**
 * Synthesizes `app` (running Aspects and CloudFormation Validate), then runs the five cdk-nag packs
 * over it: once as users see them (acknowledgements applied) and once ignoring acknowledgements, to
 * find acknowledgements that match nothing.
 */
export function complianceReport(app: App): ComplianceReport {
  const assembly = app.synth();
  const stackOf = (constructPath: string) => relativePath(app, constructPath);

  const cfnValidate: Finding[] = [];
  const reportFile = path.join(assembly.directory, 'validation-report.json');
  if (fs.existsSync(reportFile)) {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    // Construct annotations (warnings) are reported separately below, whatever the feature flags.
    for (const plugin of (report.pluginReports ?? []).filter((p: { pluginName: string }) => p.pluginName !== 'Construct Annotations')) {
      for (const violation of plugin.violations ?? []) {
        for (const construct of violation.violatingConstructs ?? [{ constructPath: '?' }]) {
          cfnValidate.push({ source: plugin.pluginName, rule: violation.ruleName, path: stackOf(construct.constructPath ?? '?'), severity: violation.severity });
        }
      }
    }
  }

  const warnings: Finding[] = assembly.stacksRecursively.flatMap((artifact) => artifact.messages
    .filter((m) => m.level === 'warning')
    .map((m) => ({
      source: 'Construct Annotations',
      rule: /\[ack: ([^\]]+)\]/.exec(String(m.entry.data))?.[1] ?? String(m.entry.data),
      path: stackOf(m.id.replace(/^\//, '')),
      severity: 'warning',
    })));

  const packs = ComplianceChecks.packsFor(ComplianceProfile.REGULATED);
  const findings = packs.flatMap((pack) => runPack(pack, app, stackOf));
  const rawFindings = ComplianceChecks.packsFor(ComplianceProfile.REGULATED).flatMap((pack) => {
    // Test-only: see every finding, acknowledged or not, to match acknowledgements against.
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    return runPack(pack, app, stackOf);
  });

  const acknowledgements = collectAcknowledgements(app, stackOf);
  const unusedAcknowledgements = acknowledgements.filter((ack) =>
    !rawFindings.some((f) => f.rule === ack.rule && f.path === ack.path));
  return { findings, cfnValidate, warnings, acknowledgements, unusedAcknowledgements };
}

/** Findings that fail a profile: STANDARD counts AwsSolutions, Serverless and CloudFormation Validate; REGULATED counts all. */
export function failingFindings(report: ComplianceReport, profile: ComplianceProfile): Finding[] {
  const nag = profile === ComplianceProfile.REGULATED
    ? report.findings
    : report.findings.filter((f) => STANDARD_SOURCES.includes(f.source));
  return [...nag, ...report.cfnValidate];
}

/** `rule @ path` lines, sorted, for readable assertions. */
export function lines(items: ReadonlyArray<{ rule: string; path: string }>): string[] {
  return [...new Set(items.map((i) => `${i.rule} @ ${i.path}`))].sort();
}

function runPack(pack: NagPack, app: App, stackOf: (p: string) => string): Finding[] {
  const report = pack.validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({
    source: pack.readPackName,
    rule: v.ruleName,
    path: stackOf(r.constructPath ?? '?'),
    severity: v.severity ?? 'error',
  })));
}

function collectAcknowledgements(app: App, stackOf: (p: string) => string): Acknowledgement[] {
  const acks: Acknowledgement[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
        continue;
      }
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = qualified.replace(/^annotation::/i, '');
        if (NAG_PREFIXES.some((p) => rule.startsWith(p))) {
          acks.push({ rule, path: stackOf(construct.node.path), reason });
        }
      }
    }
  }
  return acks;
}

/** `Stack/W/Queue/Resource` -> `W/Queue/Resource` for the app's stacks (keeps expectations readable). */
function relativePath(app: App, constructPath: string): string {
  const stacks = app.node.findAll().filter((c: IConstruct): c is Stack => Stack.isStack(c));
  const stack = stacks.find((s) => constructPath.startsWith(`${s.node.path}/`));
  return stack ? constructPath.slice(stack.node.path.length + 1) : constructPath;
}

/** One prop set a construct's compliance is checked with. */
export interface ComplianceScenario {
  /** Builds the scenario in `stack` with `profile`. */
  readonly build: (stack: Stack, profile: ComplianceProfile) => void;
  /**
   * Findings that stay visible because the scenario brings resources of its own or opts in to
   * something a pack flags (`rule @ path`), per profile and flag set (the user's own L2 constructs
   * change with feature flags). The library never acknowledges these.
   */
  readonly userFindings?: (profile: ComplianceProfile, flagSet: string) => string[];
  /** Construct warnings the scenario expects (`id @ path`). */
  readonly warnings?: string[];
  /** The profiles the scenario applies to (an opt-in a profile refuses is tested with that profile's errors). @default both */
  readonly profiles?: ComplianceProfile[];
}

/** `rule @ path (class)` for every acknowledgement, the class read from its reason. */
export function acknowledgementLines(report: ComplianceReport): string[] {
  return [...new Set(report.acknowledgements.map((a) => {
    const klass = /^\[([^\]]+)\]/.exec(a.reason)?.[1] ?? 'NO CLASS';
    return `${a.rule} @ ${a.path} (${klass})`;
  }))].sort();
}

const CLASSES = ['false positive', 'AWS requirement or limit', 'pack conflict or harmful remedy', 'priced feature'];

/**
 * The compliance matrix of one construct: every scenario in both profiles, without feature flags
 * and with the recommended ones. Each case must have no failing finding but the scenario's own,
 * no unused acknowledgement, exactly the expected acknowledgements (with their classes; the
 * expectations are test data keyed `PROFILE scenario`) and exactly the expected warnings.
 */
export function describeCompliance(name: string, scenarios: Record<string, ComplianceScenario>,
  expectedAcknowledgements: Record<string, string[]>, flagSets: Record<string, Record<string, unknown>>): void {
  const profiles = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED];
  const cases = Object.entries(flagSets).flatMap(([flagSet, flags]) =>
    profiles.flatMap((profile) => Object.keys(scenarios)
      .filter((scenario) => scenarios[scenario].profiles?.includes(profile) ?? true)
      .map((scenario) => ({ flagSet, flags, profile, scenario }))));

  describe(`${name} compliance`, () => {
    test.each(cases)('$profile, $scenario props, $flagSet', ({ flagSet, flags, profile, scenario }) => {
      const app = new App({ context: { ...flags, ...COMPLIANCE_CONTEXT } });
      const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
      const spec = scenarios[scenario];
      spec.build(stack, profile);

      const report = complianceReport(app);

      expect(lines(failingFindings(report, profile))).toEqual([...(spec.userFindings?.(profile, flagSet) ?? [])].sort());
      expect(lines(report.unusedAcknowledgements)).toEqual([]);
      expect(lines(report.warnings)).toEqual([...(spec.warnings ?? [])].sort());
      expect(acknowledgementLines(report)).toEqual(expectedAcknowledgements[`${profile} ${scenario}`]);
      for (const ack of report.acknowledgements) {
        expect(CLASSES).toContain(/^\[([^\]]+)\] \S/.exec(ack.reason)?.[1]);
      }
    });
  });
}
