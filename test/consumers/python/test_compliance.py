"""ComplianceChecks and CompliancePolicy from Python: the static methods, the ``ComplianceProfile`` enum,
cdk-nag's pack objects handed back and run from Python, and a finding failing synthesis as an exception.
(Each construct's module synthesizes it with the STANDARD packs registered.)"""
import aws_cdk as cdk
import cdk_nag
import pytest
from aws_cdk import aws_sqs as sqs

from cdk_bulwark import ComplianceChecks, CompliancePolicy, ComplianceProfile, SecureTopic

from conftest import stack_in


def test_packs_for_each_profile_are_cdk_nag_packs():
    assert [type(p) for p in ComplianceChecks.packs_for(ComplianceProfile.STANDARD)] == [
        cdk_nag.AwsSolutionsChecks, cdk_nag.ServerlessChecks]
    assert [p.read_pack_name for p in ComplianceChecks.packs_for(ComplianceProfile.REGULATED, True)] == [
        "AwsSolutions", "Serverless", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"]


def test_a_finding_of_your_own_fails_synthesis_and_the_packs_report_it():
    app = cdk.App()
    packs = ComplianceChecks.enable(app, profile=ComplianceProfile.STANDARD, verbose=True)
    stack = stack_in(app, "Unchecked")
    sqs.Queue(stack, "PlainQueue")  # no dead-letter queue, no TLS policy
    with pytest.raises(RuntimeError, match="ValidationFailed") as failure:
        app.synth()
    assert "Unchecked/PlainQueue/Resource" in str(failure.value) and "AwsSolutions-SQS4" in str(failure.value)
    report = packs[0].validate_scope(app)
    assert "AwsSolutions-SQS4" in [v.rule_name for v in report.violations]
    assert report.violations[0].violating_resources[0].construct_path == "Unchecked/PlainQueue/Resource"


def test_the_apps_default_profile_and_an_explicit_one():
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, ComplianceProfile.REGULATED)
    stack = stack_in(app, "Mixed")
    assert CompliancePolicy.resolve(stack) == ComplianceProfile.REGULATED
    assert CompliancePolicy.resolve(stack, ComplianceProfile.STANDARD) == ComplianceProfile.STANDARD
    assert SecureTopic(stack, "Regulated").compliance_profile == ComplianceProfile.REGULATED
    assert SecureTopic(stack, "Standard", compliance_profile=ComplianceProfile.STANDARD).compliance_profile == ComplianceProfile.STANDARD


def test_the_default_by_context_and_a_default_set_too_late():
    """cdk.json's context value reaches every construct; a stack-level default after the stack's constructs
    took another profile is an error that says where to set it (not constructs' 'Cannot set context')."""
    app = cdk.App(context={"cdk-bulwark:complianceProfile": "REGULATED"})
    assert SecureTopic(stack_in(app, "ByContext"), "Topic").compliance_profile == ComplianceProfile.REGULATED
    late = stack_in(cdk.App(), "Late")
    SecureTopic(late, "Topic")
    with pytest.raises(RuntimeError, match="in cdk.json"):
        CompliancePolicy.set_default_profile(late, ComplianceProfile.REGULATED)
