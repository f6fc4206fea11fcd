"""Helpers shared by the Python consumer tests: what a Python user of cdk-bulwark writes.

Everything here goes through the published wheel (``cdk_bulwark``) and the aws-cdk-lib and cdk-nag
packages from PyPI; nothing reaches into the TypeScript sources.
"""
from typing import List

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_

from cdk_bulwark import ComplianceChecks, ComplianceProfile

ACCOUNT = "123456789012"
REGION = "eu-west-1"

#: Handler code that reports no batch item failures.
INLINE_HANDLER = "exports.handler = async () => ({ batchItemFailures: [] });"


def env() -> cdk.Environment:
    """A concrete account and region, as a deployed stack has."""
    return cdk.Environment(account=ACCOUNT, region=REGION)


def inline_code() -> lambda_.Code:
    return lambda_.Code.from_inline(INLINE_HANDLER)


def stack_in(app: cdk.App, stack_id: str) -> cdk.Stack:
    return cdk.Stack(app, stack_id, env=env())


def nag_violations(app: cdk.App, profile: ComplianceProfile) -> List[str]:
    """Runs the profile's cdk-nag packs over a synthesized app; returns ``rule @ path`` per finding.

    The library's own acknowledgements are in the construct tree, so a clean app gives [].
    """
    found = []
    for pack in ComplianceChecks.packs_for(profile):
        report = pack.validate_scope(app)
        for violation in report.violations:
            for resource in violation.violating_resources:
                found.append(f"{pack.read_pack_name}: {violation.rule_name} @ {resource.construct_path}")
    return sorted(found)
