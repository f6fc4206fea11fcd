import { App, Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CompliancePolicy, ComplianceProfile, Monitoring, SecureTopic } from '../../src';

/*
 * Where a default profile can be set (#10 item 16): on the app, by context (cdk.json, --context, new
 * App({ context })), on a stage, stack or any scope, including one that already has children. A
 * construct's profile is fixed when it is made, so a default set after constructs took another one is
 * an error that says where to set it; the shape `cdk init` produces (new MyStack(app) builds
 * everything, then the default is set on the stack) gets that error instead of constructs' "Cannot set
 * context after children have been added".
 */

const REGULATED = ComplianceProfile.REGULATED;
const STANDARD = ComplianceProfile.STANDARD;

/** A stack made the way cdk init makes one: everything is built in the constructor. */
class OrdersStack extends Stack {
  public readonly topic: SecureTopic;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new SecureTopic(this, 'Orders');
  }
}

describe('setting the default profile', () => {
  test('on the app right after new App(): every construct of every stack', () => {
    const app = new App();
    CompliancePolicy.setDefaultProfile(app, REGULATED);
    expect(new OrdersStack(app, 'Orders').topic.complianceProfile).toBe(REGULATED);
  });

  test('by context, as cdk.json or --context set it', () => {
    const app = new App({ context: { 'cdk-bulwark:complianceProfile': 'REGULATED' } });
    expect(new OrdersStack(app, 'Orders').topic.complianceProfile).toBe(REGULATED);
  });

  test('on a stack (or stage) with children, before its bulwark constructs: they take it', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Orders');
    new Construct(stack, 'SomethingElse');
    CompliancePolicy.setDefaultProfile(stack, REGULATED);
    expect(new SecureTopic(stack, 'Topic').complianceProfile).toBe(REGULATED);
    CompliancePolicy.setDefaultProfile(stage, REGULATED);
    expect(new SecureTopic(new Stack(stage, 'Other'), 'Topic').complianceProfile).toBe(REGULATED);
  });

  test('the nearest default wins; a construct\'s own prop wins over all', () => {
    const app = new App({ context: { 'cdk-bulwark:complianceProfile': 'REGULATED' } });
    const standard = new Stack(app, 'Standard');
    CompliancePolicy.setDefaultProfile(standard, STANDARD);
    expect(new SecureTopic(standard, 'Topic').complianceProfile).toBe(STANDARD);
    expect(new SecureTopic(new Stack(app, 'Regulated'), 'Topic').complianceProfile).toBe(REGULATED);
    expect(new SecureTopic(standard, 'Own', { complianceProfile: REGULATED }).complianceProfile).toBe(REGULATED);
  });

  test('where it worked before (a scope without children) it is also construct context, as it always was', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders');
    CompliancePolicy.setDefaultProfile(stack, REGULATED);
    expect(stack.node.tryGetContext('cdk-bulwark:complianceProfile')).toBe(REGULATED);
  });

  test('after constructs took another profile: an error that names them and says where to set it', () => {
    const app = new App();
    const stack = new OrdersStack(app, 'Orders');
    expect(() => CompliancePolicy.setDefaultProfile(stack, REGULATED)).toThrow(
      "OrdersStack 'Orders': CompliancePolicy.setDefaultProfile(REGULATED) comes after constructs under it took their profile from an earlier "
      + "default: SecureTopic 'Orders/Orders' (STANDARD), Monitoring 'Orders/BulwarkMonitoring' (STANDARD). A construct's profile is fixed when it is made. Set the default before creating "
      + 'them: on the app right after new App() (CompliancePolicy.setDefaultProfile(app, ComplianceProfile.REGULATED)), in cdk.json '
      + '("context": { "cdk-bulwark:complianceProfile": "REGULATED" }) or with --context cdk-bulwark:complianceProfile=REGULATED, at the top '
      + "of the stack's constructor before its constructs, or per construct with the complianceProfile prop");
    expect(() => CompliancePolicy.setDefaultProfile(app, REGULATED)).toThrow(/SecureTopic 'Orders\/Orders' \(STANDARD\)/);
  });

  test('after constructs took the same profile, or their own, or a nearer default: nothing is changed, so nothing is refused', () => {
    const app = new App();
    const stack = new OrdersStack(app, 'Orders');
    expect(() => CompliancePolicy.setDefaultProfile(stack, STANDARD)).not.toThrow();
    const own = new Stack(app, 'Own');
    const monitoring = new Monitoring(own, 'Monitoring', { complianceProfile: STANDARD });
    new SecureTopic(own, 'Topic', { complianceProfile: STANDARD, monitoring });
    expect(() => CompliancePolicy.setDefaultProfile(own, REGULATED)).not.toThrow();
    const nearer = new Stack(app, 'Nearer');
    CompliancePolicy.setDefaultProfile(nearer, STANDARD);
    new SecureTopic(nearer, 'Topic');
    expect(() => CompliancePolicy.setDefaultProfile(new Stage(app, 'Elsewhere'), REGULATED)).not.toThrow();
  });

  test('resolve() on an app or a stack is a question, not a choice: a default may still be set after it', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders');
    expect(CompliancePolicy.resolve(stack)).toBe(STANDARD);
    CompliancePolicy.setDefaultProfile(stack, REGULATED);
    expect(CompliancePolicy.resolve(stack)).toBe(REGULATED);
  });

  test.each([['a string that is no profile', 'strict'], ['undefined', undefined]])('%s is refused', (_what, value) => {
    const stack = new Stack(new App(), 'Orders');
    expect(() => CompliancePolicy.setDefaultProfile(stack, value as ComplianceProfile)).toThrow(
      `'Orders': CompliancePolicy.setDefaultProfile() profile is ${value === undefined ? 'undefined' : `'${value}'`}; `
      + 'it must be one of STANDARD, REGULATED');
  });
});
