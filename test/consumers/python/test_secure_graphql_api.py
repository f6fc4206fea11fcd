"""SecureGraphqlApi from Python: the schema from a string, every ``GraphqlAuthorization`` factory with its
options struct, the cache options and ``GraphqlCacheSize`` enum, the alarm struct, table resolvers from every
``TableResolver`` factory (with their options as keyword arguments) and the ``TableResolverKind`` enum, a Lambda
resolver, grants, and a resolver the schema has no field for."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk.assertions import Template

from cdk_bulwark import (GraphqlApiKeyOptions, GraphqlAuthorization, GraphqlCacheOptions, GraphqlCacheSize, GraphqlLambdaAuthorizerOptions,
                         GraphqlOidcOptions, GraphqlSchema, GraphqlStep, GraphqlUserPoolOptions, SecureGraphqlApi, SecureGraphqlApiAlarmsProps,
                         SecureGraphqlApiProps, SecureTable, TableKeyArgumentsOptions, TablePutItemOptions, TableQueryOptions,
                         TableResolver, TableResolverKind, TableUpdateItemOptions, ThresholdAlarmOptions, UserDirectory)

from conftest import checked_stack, function

SCHEMA = """
type Order { orderId: ID! customerId: String! status: String }
type OrderPage { items: [Order!]! nextToken: String }
input NewOrder { customerId: String! status: String }
input OrderUpdate { orderId: ID! status: String }
type Query { order(orderId: ID!): Order ordersOfCustomer(customerId: String!, limit: Int, nextToken: String): OrderPage search(text: String): [Order] recent: [Order] }
type Mutation { createOrder(input: NewOrder!): Order updateOrder(input: OrderUpdate!): Order deleteOrder(orderId: ID!): Order }
type Subscription { onCreateOrder: Order @aws_subscribe(mutations: ["createOrder"]) }
"""


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Graphs")
    users = UserDirectory(b.stack, "Users")
    authorizer = function(b.stack, "Authorizer")
    b.api = SecureGraphqlApi(
        b.stack, "Graph", schema=GraphqlSchema.from_string(SCHEMA),
        authorization=GraphqlAuthorization.user_pool(users.user_pool, app_id_client_regex="^web-.*"),
        additional_authorizations=[
            GraphqlAuthorization.iam(),
            GraphqlAuthorization.oidc(issuer="https://login.example.com", client_id="app", token_expiry_from_issue=cdk.Duration.hours(1)),
            GraphqlAuthorization.lambda_authorizer(authorizer.lambda_function, results_cache_ttl=cdk.Duration.minutes(1)),
        ],
        alarms=SecureGraphqlApiAlarmsProps(client_errors=ThresholdAlarmOptions(threshold=80)))
    orders = SecureTable(b.stack, "Orders", partition_key=dynamodb.Attribute(name="orderId", type=dynamodb.AttributeType.STRING))
    orders.add_global_secondary_index(index_name="byCustomer",
                                      partition_key=dynamodb.Attribute(name="customerId", type=dynamodb.AttributeType.STRING))
    b.get = TableResolver.get_item(partition_key_argument="orderId")
    b.api.add_table_resolver("Query", "order", orders, b.get)
    b.api.add_table_resolver("Query", "ordersOfCustomer", orders, TableResolver.query(index_name="byCustomer", max_items=25))
    b.api.add_table_resolver("Mutation", "createOrder", orders, TableResolver.put_item(generate_partition_key=True))
    b.api.add_table_resolver("Mutation", "updateOrder", orders, TableResolver.update_item(input_argument="input"))
    b.api.add_table_resolver("Mutation", "deleteOrder", orders, TableResolver.delete_item())
    search = function(b.stack, "Search").lambda_function
    b.api.add_function_resolver("Query", "search", search)
    b.step = GraphqlStep.lambda_function("recent", search)
    b.api.add_pipeline_resolver("Query", "recent", [b.step])
    b.grant = b.api.grant_query(function(b.stack, "Client"), "order")
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_an_authorized_logged_api_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::AppSync::GraphQLApi", {
        "AuthenticationType": "AMAZON_COGNITO_USER_POOLS", "XrayEnabled": True, "QueryDepthLimit": 10})
    built.template.resource_count_is("AWS::AppSync::Resolver", 7)
    built.template.has_resource_properties("AWS::AppSync::Resolver", {"Kind": "PIPELINE", "FieldName": "recent"})
    built.template.resource_count_is("AWS::AppSync::ApiKey", 0)


def test_structs_enums_and_factories_cross_the_boundary(built):
    assert built.get.kind == TableResolverKind.GET_ITEM
    assert built.step.name == "recent"
    assert TableResolver.query().kind == TableResolverKind.QUERY
    assert GraphqlUserPoolOptions(app_id_client_regex="x").app_id_client_regex == "x"
    assert GraphqlOidcOptions(issuer="https://id.example.com").issuer == "https://id.example.com"
    assert GraphqlLambdaAuthorizerOptions(validation_regex="^Bearer").validation_regex == "^Bearer"
    key = GraphqlApiKeyOptions(expires=cdk.Expiration.after(cdk.Duration.days(30)), description="catalogue")
    assert GraphqlAuthorization.api_key(expires=key.expires).authorization_type.value == "API_KEY"
    assert TableKeyArgumentsOptions(sort_key_argument="sk").sort_key_argument == "sk"
    assert TableQueryOptions(ascending=False).ascending is False
    assert TablePutItemOptions(input_argument="order").input_argument == "order"
    assert TableUpdateItemOptions(input_argument="patch").input_argument == "patch"
    assert SecureGraphqlApiProps(schema=GraphqlSchema.from_string(SCHEMA), authorization=GraphqlAuthorization.iam()).authorization is not None
    assert [a.node.id for a in built.api.alarms] == ["ServerErrorsAlarm", "ClientErrorsAlarm", "LatencyP90Alarm"]
    assert built.grant.success
    assert built.api.graphql_url is not None


def test_a_resolver_for_a_missing_field_names_the_path_and_the_field():
    b = checked_stack("GraphErrors")
    api = SecureGraphqlApi(b.stack, "Bad", schema=GraphqlSchema.from_string(SCHEMA), authorization=GraphqlAuthorization.iam(),
                           cache=GraphqlCacheOptions(size=GraphqlCacheSize.SMALL, ttl=cdk.Duration.minutes(2)))
    assert api.cache.type == "SMALL"
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureGraphqlApi 'GraphErrors/Bad': no resolver can be added for Query.orders: type Query of the schema has no field 'orders'")):
        api.add_function_resolver("Query", "orders", function(b.stack, "Fn").lambda_function)
