"""Workflow from Python: a Standard workflow from aws-cdk-lib states (``DefinitionBody.from_chainable`` with a
``LambdaInvoke`` of a SecureFunction), an Express workflow from Amazon States Language JSON
(``DefinitionBody.from_string``) with the ``StateMachineType`` enum, the alarm struct, the ``alarms`` getter,
``grant_start_execution`` to a SecureFunction, a value the constructor rejects, and a SecureApi route that starts
a workflow (``add_workflow_route``)."""
import json
import re

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from aws_cdk.assertions import Match, Template

from cdk_bulwark import ApiAuthorization, ApiMethod, ComplianceProfile, ResilientTask, SecureApi, TaskRetryOptions, ThresholdAlarmOptions, Workflow, WorkflowAlarmsProps

from conftest import checked_stack, function, stack_in

#: An Amazon States Language definition without TimeoutSeconds: the workflow writes its timeout in.
EXPRESS_DEFINITION = {"StartAt": "Accept", "States": {"Accept": {"Type": "Pass", "Result": {"accepted": True}, "End": True}}}


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Workflows")
    handler = function(b.stack, "Handler")
    # The function's current version: a qualified ARN, so the task's grant names it and no `<arn>:*`
    # (LambdaInvoke of the unqualified function grants that wildcard, an AwsSolutions-IAM5 finding of the user's).
    invoke = tasks.LambdaInvoke(b.stack, "Invoke", lambda_function=handler.lambda_function.current_version,
                                payload_response_only=True)
    # The retry helper, its options (TaskRetryOptions, TaskCatchOptions) as keyword arguments.
    ResilientTask.retry(invoke, max_attempts=4, max_delay=Duration.seconds(20))
    ResilientTask.catch_to(invoke, sfn.Fail(b.stack, "Failed"), result_path="$.failure")
    b.retry_options = TaskRetryOptions(max_attempts=2)
    b.standard = Workflow(
        b.stack, "Orders",
        definition_body=sfn.DefinitionBody.from_chainable(invoke.next(sfn.Succeed(b.stack, "Done"))),
        alarms=WorkflowAlarmsProps(executions_failed=ThresholdAlarmOptions(threshold=1)),
    )
    b.grant = b.standard.grant_start_execution(function(b.stack, "Starter"))
    b.express = Workflow(
        b.stack, "Intake",
        definition_body=sfn.DefinitionBody.from_string(json.dumps(EXPRESS_DEFINITION)),
        state_machine_type=sfn.StateMachineType.EXPRESS,
    )
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_logged_and_traced_state_machines_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.resource_properties_count_is("AWS::StepFunctions::StateMachine", {
        "LoggingConfiguration": {"Level": "ALL", "IncludeExecutionData": False},
        "TracingConfiguration": {"Enabled": True}}, 2)


def test_a_json_definition_gets_the_express_timeout(built):
    [express] = built.template.find_resources("AWS::StepFunctions::StateMachine", {
        "Properties": {"StateMachineType": "EXPRESS"}}).values()
    definition = json.loads(express["Properties"]["DefinitionString"])
    assert definition == {**EXPRESS_DEFINITION, "TimeoutSeconds": 300}
    assert built.express.timeout.to_seconds() == 300


def test_the_alarm_struct_and_getters_cross_the_boundary(built):
    assert len(built.standard.alarms) == 4
    assert len(built.express.alarms) == 5  # and the p90 execution time, Express only
    assert all(isinstance(alarm, cloudwatch.Alarm) for alarm in built.standard.alarms + built.express.alarms)
    built.template.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "ExecutionsFailed", "Threshold": 1})
    assert isinstance(built.standard.state_machine, sfn.StateMachine)
    assert built.standard.timeout.to_seconds() == 24 * 60 * 60
    assert built.standard.compliance_profile == ComplianceProfile.STANDARD
    metric = built.standard.metric_failed(period=Duration.minutes(1))
    assert (metric.metric_name, metric.period.to_seconds()) == ("ExecutionsFailed", 60)


def test_grant_start_execution_reaches_the_function_role(built):
    assert built.grant.success
    built.template.has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": Match.array_with([Match.object_like({
        "Action": "states:StartExecution", "Resource": {"Ref": Match.string_like_regexp("^OrdersStateMachine")}})])}})


def test_a_timeout_longer_than_express_allows_names_the_path_and_the_prop():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError, match=re.escape("Workflow 'Errors/Fast': timeout is 6 minutes;")) as error:
        Workflow(stack, "Fast", definition_body=sfn.DefinitionBody.from_string(json.dumps(EXPRESS_DEFINITION)),
                 state_machine_type=sfn.StateMachineType.EXPRESS, timeout=Duration.minutes(6))
    assert str(error.value) == "Workflow 'Errors/Fast': timeout is 6 minutes; it must be a whole number of seconds from 1 second to 5 minutes"


def test_the_retry_and_catch_helpers_reach_the_definition(built):
    [standard] = built.template.find_resources("AWS::StepFunctions::StateMachine", {
        "Properties": {"StateMachineType": Match.absent()}}).values()
    body = standard["Properties"]["DefinitionString"]
    text = body if isinstance(body, str) else "".join(p if isinstance(p, str) else "REF" for p in body["Fn::Join"][1])
    assert '"MaxAttempts":4' in text and '"MaxDelaySeconds":20' in text and '"JitterStrategy":"FULL"' in text
    assert '"ResultPath":"$.failure","Next":"Failed"' in text
    assert built.retry_options.max_attempts == 2


def test_the_retry_helper_refuses_a_backoff_below_one_naming_the_task_and_the_option():
    stack = stack_in(cdk.App(), "RetryErrors")
    task = tasks.LambdaInvoke(stack, "Charge", lambda_function=function(stack, "Fn").lambda_function.current_version)
    with pytest.raises(RuntimeError, match=re.escape(
            "LambdaInvoke 'RetryErrors/Charge': ResilientTask.retry backoffRate is 0.5; it must be a number of 1 or more")):
        ResilientTask.retry(task, backoff_rate=0.5)


def test_a_secure_api_route_starts_the_workflow_with_keyword_options():
    """``add_workflow_route``: the route options as keyword arguments, a Workflow as the target, and the
    method check's message from Python."""
    b = checked_stack("WorkflowRoutes")
    workflow = Workflow(b.stack, "Fulfilment", definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(b.stack, "Start")))
    api = SecureApi(b.stack, "Api", user_pool=cognito.UserPool.from_user_pool_id(b.stack, "Pool", "eu-west-1_abcdefghi"))
    route = api.add_workflow_route(ApiMethod.POST, "/orders/{orderId}/fulfilment", workflow,
                                   request_schema=apigateway.JsonSchema(type=apigateway.JsonSchemaType.OBJECT, required=["address"]),
                                   required_headers=["Idempotency-Key"])
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureApi 'WorkflowRoutes/Api': method of route 'GET /orders' is 'GET'; a route that starts a workflow must take POST, PUT, PATCH or DELETE")):
        api.add_workflow_route(ApiMethod.GET, "/orders", workflow, authorization=ApiAuthorization.iam())
    b.app.synth()
    template = Template.from_stack(b.stack)
    assert route.path == "/orders/{orderId}/fulfilment"
    template.has_resource_properties("AWS::ApiGateway::Method", {
        "HttpMethod": "POST",
        "AuthorizationType": "COGNITO_USER_POOLS",
        "RequestParameters": {"method.request.path.orderId": True, "method.request.header.Idempotency-Key": True},
        "Integration": Match.object_like({"Type": "AWS", "PassthroughBehavior": "NEVER"}),
    })
    template.has_resource_properties("AWS::ApiGateway::Model", {"Schema": Match.object_like({"required": ["address"]})})
