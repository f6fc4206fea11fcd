"""Helpers shared by the Python consumer tests: what a Python user of cdk-bulwark writes.

Everything here goes through the published wheel (``cdk_bulwark``) and the aws-cdk-lib and cdk-nag
packages from PyPI; nothing reaches into the TypeScript sources.
"""
import re
from typing import List

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match, Template

from cdk_bulwark import ComplianceChecks, ComplianceProfile

ACCOUNT = "123456789012"
REGION = "eu-west-1"

#: An imported Cognito user pool (``UserPool.from_user_pool_id``) for the API constructs' authorizers.
USER_POOL_ID = "eu-west-1_abcdefghi"

#: The warning of a stack whose SecureApi sets API Gateway's account-level CloudWatch role.
ACCOUNT_ROLE_WARNING = "cdk-bulwark:api:sets-account-cloudwatch-role"

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


def resource_of(template: Template, stack: cdk.Stack, construct) -> dict:
    """The template entry of a construct (or of an L2's default child)."""
    cfn = construct if isinstance(construct, cdk.CfnElement) else construct.node.default_child
    return template.to_json()["Resources"][stack.get_logical_id(cfn)]


def method_of(template: Template, stack: cdk.Stack, route) -> dict:
    """The properties of the API Gateway method of a SecureApi route (``ApiRoute``)."""
    return resource_of(template, stack, route.api_method)["Properties"]


def warning_ids(stack: cdk.Stack) -> List[str]:
    """The ids of the (unacknowledged) warnings of a stack and its constructs (``[ack: <id>]`` in each message)."""
    messages = Annotations.from_stack(stack).find_warning("*", Match.any_value())
    return sorted(id_ for message in messages for id_ in re.findall(r"\[ack: ([^\]]+)\]", str(message.entry.data)))


def statements_of(template: Template, stack: cdk.Stack, role: iam.IRole) -> list:
    """Every statement of the IAM policies, inline or managed, attached to a role."""
    role_ref = stack.resolve(role.role_name)
    return [statement
            for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
            for policy in template.find_resources(kind).values()
            if role_ref in policy["Properties"].get("Roles", [])
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]]


def actions_on(statements: list, resource) -> list:
    """The actions the statements allow on exactly this resource."""
    return sorted(action
                  for s in statements if s["Effect"] == "Allow" and s["Resource"] == resource
                  for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))
