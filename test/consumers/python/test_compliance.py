"""Compliance profiles and cdk-nag from Python: STANDARD and REGULATED, every construct.

``CompliancePolicy.set_default_profile`` and ``ComplianceChecks.enable`` are called the way the
README says, right after ``cdk.App()``; synthesis then fails on any finding of the profile's packs.
After synthesis the tests run the packs again through ``ComplianceChecks.packs_for`` and read
the violations, as a Python user's own test would.
"""
import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

import cdk_nag
from cdk_bulwark import (
    ComplianceChecks,
    CompliancePolicy,
    ComplianceProfile,
    Monitoring,
    QueueWorker,
    SecureFunction,
)

from conftest import inline_code, nag_violations, stack_in

EXTRA_REGULATED_PACKS = [cdk_nag.HIPAASecurityChecks, cdk_nag.NIST80053R5Checks, cdk_nag.PCIDSS321Checks]


def build(app: cdk.App, stack_id: str) -> cdk.Stack:
    """The same system in either profile: every construct of the library."""
    stack = stack_in(app, stack_id)
    Monitoring(stack, "Monitoring", email_addresses=["oncall@example.com"])
    QueueWorker(stack, "Orders", handler_props={"code": inline_code(), "handler": "index.handler"})
    QueueWorker(stack, "Payments", fifo=True, batch_size=10,
                handler_props={"code": inline_code(), "handler": "index.handler", "timeout": Duration.seconds(20)})
    SecureFunction(stack, "Api", code=inline_code(), handler="index.handler", memory_size=256)
    return stack


@pytest.fixture(scope="module")
def standard():
    app = cdk.App()
    packs = ComplianceChecks.enable(app)  # no profile given and no default set: STANDARD
    stack = build(app, "Standard")
    app.synth()
    return app, packs, Template.from_stack(stack)


@pytest.fixture(scope="module")
def regulated():
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, ComplianceProfile.REGULATED)
    packs = ComplianceChecks.enable(app)  # takes the app's default profile
    stack = build(app, "Regulated")
    app.synth()
    return app, packs, Template.from_stack(stack)


def test_packs_for_each_profile():
    standard = ComplianceChecks.packs_for(ComplianceProfile.STANDARD)
    regulated = ComplianceChecks.packs_for(ComplianceProfile.REGULATED, True)
    assert [p.read_pack_name for p in standard] == ["AwsSolutions", "Serverless"]
    assert [type(p) for p in regulated] == [cdk_nag.AwsSolutionsChecks, cdk_nag.ServerlessChecks, *EXTRA_REGULATED_PACKS]
    assert all(isinstance(p, cdk_nag.NagPack) for p in regulated)


def test_standard_has_no_standard_findings(standard):
    app, packs, _ = standard
    assert [p.read_pack_name for p in packs] == ["AwsSolutions", "Serverless"]
    assert nag_violations(app, ComplianceProfile.STANDARD) == []


def test_standard_reports_regulated_trade_offs(standard):
    """HIPAA, NIST and PCI findings of a STANDARD app are reported, not hidden."""
    findings = nag_violations(standard[0], ComplianceProfile.REGULATED)
    assert findings
    assert {f.split(":")[0] for f in findings} <= {"HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"}


def test_standard_template(standard):
    t = standard[2]
    t.resource_count_is("AWS::EC2::VPC", 0)
    t.resource_count_is("AWS::KMS::Key", 1)  # the stack key, for the alarm topic
    t.has_resource_properties("AWS::SQS::Queue", {"FifoQueue": True, "SqsManagedSseEnabled": True})
    t.has_resource_properties("AWS::Lambda::Function", {"MemorySize": 256, "ReservedConcurrentExecutions": Match.absent()})


def test_regulated_runs_all_five_packs(regulated):
    app, packs, _ = regulated
    assert [type(p) for p in packs][2:] == EXTRA_REGULATED_PACKS
    assert nag_violations(app, ComplianceProfile.REGULATED) == []


def test_regulated_template(regulated):
    t = regulated[2]
    t.resource_count_is("AWS::KMS::Key", 1)
    t.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    t.resource_count_is("AWS::EC2::VPC", 1)
    t.resource_count_is("AWS::EC2::NatGateway", 0)
    t.has_resource_properties("AWS::EC2::FlowLog", {"ResourceType": "VPC"})
    t.has_resource_properties("AWS::SQS::Queue", {"FifoQueue": True, "KmsMasterKeyId": Match.any_value()})
    t.has_resource_properties("AWS::Lambda::Function", {
        "ReservedConcurrentExecutions": 10,
        "VpcConfig": Match.object_like({"SubnetIds": Match.any_value()}),
        "KmsKeyArn": Match.any_value(),
    })
    t.has_resource_properties("AWS::Logs::LogGroup", {"KmsKeyId": Match.any_value()})
    t.resource_count_is("AWS::IAM::Policy", 0)  # managed, not inline, policies


def test_explicit_profile_wins_over_the_default():
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, ComplianceProfile.REGULATED)
    stack = stack_in(app, "Mixed")
    worker = QueueWorker(stack, "Worker", compliance_profile=ComplianceProfile.STANDARD,
                         handler_props={"code": inline_code(), "handler": "index.handler"})
    assert worker.compliance_profile == ComplianceProfile.STANDARD
    assert CompliancePolicy.resolve(stack) == ComplianceProfile.REGULATED
    assert CompliancePolicy.resolve(stack, ComplianceProfile.STANDARD) == ComplianceProfile.STANDARD


def test_a_finding_of_your_own_fails_synthesis():
    app = cdk.App()
    ComplianceChecks.enable(app, profile=ComplianceProfile.STANDARD, verbose=True)
    stack = stack_in(app, "Unchecked")
    sqs.Queue(stack, "PlainQueue")  # no dead-letter queue, no TLS policy
    with pytest.raises(RuntimeError, match="ValidationFailed") as failure:
        app.synth()
    assert "Unchecked/PlainQueue/Resource" in str(failure.value)
    assert "AwsSolutions-SQS4" in str(failure.value)
