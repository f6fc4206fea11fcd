package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.GraphqlApiKeyOptions;
import io.github.cdkbulwark.GraphqlAuthorization;
import io.github.cdkbulwark.GraphqlCacheOptions;
import io.github.cdkbulwark.GraphqlCacheSize;
import io.github.cdkbulwark.GraphqlLambdaAuthorizerOptions;
import io.github.cdkbulwark.GraphqlOidcOptions;
import io.github.cdkbulwark.GraphqlSchema;
import io.github.cdkbulwark.GraphqlStep;
import io.github.cdkbulwark.GraphqlUserPoolOptions;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureGraphqlApi;
import io.github.cdkbulwark.SecureGraphqlApiAlarmsProps;
import io.github.cdkbulwark.SecureGraphqlApiProps;
import io.github.cdkbulwark.SecureTable;
import io.github.cdkbulwark.TableIndexOptions;
import io.github.cdkbulwark.TableKeyArgumentsOptions;
import io.github.cdkbulwark.TablePutItemOptions;
import io.github.cdkbulwark.TableQueryOptions;
import io.github.cdkbulwark.TableResolver;
import io.github.cdkbulwark.TableResolverKind;
import io.github.cdkbulwark.TableUpdateItemOptions;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.UserDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Expiration;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.appsync.AuthorizationType;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.iam.Grant;

/**
 * SecureGraphqlApi from Java: the schema from a string, every GraphqlAuthorization factory with its options
 * builder, the cache options and GraphqlCacheSize enum, the alarm struct, table resolvers from every
 * TableResolver factory and the TableResolverKind enum, a Lambda resolver, a grant, and a resolver the
 * schema has no field for.
 */
class SecureGraphqlApiTest {
    static final String SCHEMA = String.join("\n",
            "type Order { orderId: ID! customerId: String! status: String }",
            "type OrderPage { items: [Order!]! nextToken: String }",
            "input NewOrder { customerId: String! status: String }",
            "input OrderUpdate { orderId: ID! status: String }",
            "type Query { order(orderId: ID!): Order ordersOfCustomer(customerId: String!, limit: Int, nextToken: String): OrderPage "
                    + "search(text: String): [Order] recent: [Order] }",
            "type Mutation { createOrder(input: NewOrder!): Order updateOrder(input: OrderUpdate!): Order deleteOrder(orderId: ID!): Order }",
            "type Subscription { onCreateOrder: Order @aws_subscribe(mutations: [\"createOrder\"]) }");

    private static SecureGraphqlApi api;
    private static TableResolver get;
    private static GraphqlStep step;
    private static Grant grant;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Graphs");
        UserDirectory users = UserDirectory.Builder.create(checked.stack, "Users").build();
        api = SecureGraphqlApi.Builder.create(checked.stack, "Graph")
                .schema(GraphqlSchema.fromString(SCHEMA))
                .authorization(GraphqlAuthorization.userPool(users.getUserPool(), GraphqlUserPoolOptions.builder().appIdClientRegex("^web-.*").build()))
                .additionalAuthorizations(List.of(
                        GraphqlAuthorization.iam(),
                        GraphqlAuthorization.oidc(GraphqlOidcOptions.builder().issuer("https://login.example.com").clientId("app").build()),
                        GraphqlAuthorization.lambdaAuthorizer(Support.function(checked.stack, "Authorizer").getLambdaFunction(),
                                GraphqlLambdaAuthorizerOptions.builder().resultsCacheTtl(Duration.minutes(1)).build())))
                .alarms(SecureGraphqlApiAlarmsProps.builder().clientErrors(ThresholdAlarmOptions.builder().threshold(80).build()).build())
                .build();
        SecureTable orders = SecureTable.Builder.create(checked.stack, "Orders")
                .partitionKey(Attribute.builder().name("orderId").type(AttributeType.STRING).build())
                .build();
        orders.addGlobalSecondaryIndex(TableIndexOptions.builder().indexName("byCustomer")
                .partitionKey(Attribute.builder().name("customerId").type(AttributeType.STRING).build()).build());
        get = TableResolver.getItem(TableKeyArgumentsOptions.builder().partitionKeyArgument("orderId").build());
        api.addTableResolver("Query", "order", orders, get);
        api.addTableResolver("Query", "ordersOfCustomer", orders, TableResolver.query(TableQueryOptions.builder()
                .indexName("byCustomer").partitionKeyArgument("customerId").maxItems(25).build()));
        api.addTableResolver("Mutation", "createOrder", orders, TableResolver.putItem(TablePutItemOptions.builder().generatePartitionKey(true).build()));
        api.addTableResolver("Mutation", "updateOrder", orders, TableResolver.updateItem(TableUpdateItemOptions.builder().inputArgument("input").build()));
        api.addTableResolver("Mutation", "deleteOrder", orders, TableResolver.deleteItem());
        SecureFunction search = Support.function(checked.stack, "Search");
        api.addFunctionResolver("Query", "search", search.getLambdaFunction());
        step = GraphqlStep.lambdaFunction("recent", search.getLambdaFunction());
        api.addPipelineResolver("Query", "recent", List.of(step));
        grant = api.grantQuery(Support.function(checked.stack, "Client"), "order");
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesAnAuthorizedLoggedApiAndNoFinding() {
        template.hasResourceProperties("AWS::AppSync::GraphQLApi", Map.of(
                "AuthenticationType", "AMAZON_COGNITO_USER_POOLS", "XrayEnabled", true, "QueryDepthLimit", 10));
        template.resourceCountIs("AWS::AppSync::Resolver", 7);
        template.hasResourceProperties("AWS::AppSync::Resolver", Map.of("Kind", "PIPELINE", "FieldName", "recent"));
        template.resourceCountIs("AWS::AppSync::ApiKey", 0);
    }

    @Test
    void structsEnumsAndFactoriesCrossTheBoundary() {
        assertEquals(TableResolverKind.GET_ITEM, get.getKind());
        assertEquals("recent", step.getName());
        GraphqlApiKeyOptions key = GraphqlApiKeyOptions.builder().expires(Expiration.after(Duration.days(30))).description("catalogue").build();
        assertEquals(AuthorizationType.API_KEY, GraphqlAuthorization.apiKey(key).getAuthorizationType());
        SecureGraphqlApiProps props = SecureGraphqlApiProps.builder().schema(GraphqlSchema.fromString(SCHEMA))
                .authorization(GraphqlAuthorization.iam()).build();
        assertEquals(AuthorizationType.IAM, props.getAuthorization().getAuthorizationType());
        assertEquals(List.of("ServerErrorsAlarm", "ClientErrorsAlarm", "LatencyP90Alarm"),
                api.getAlarms().stream().map(a -> a.getNode().getId()).collect(Collectors.toList()));
        assertTrue(grant.getSuccess());
        assertFalse(api.getGraphqlUrl().isEmpty());
    }

    @Test
    void aResolverForAMissingFieldNamesThePathAndTheField() {
        Support.Checked checked = new Support.Checked("GraphErrors");
        SecureGraphqlApi bad = SecureGraphqlApi.Builder.create(checked.stack, "Bad")
                .schema(GraphqlSchema.fromString(SCHEMA)).authorization(GraphqlAuthorization.iam())
                .cache(GraphqlCacheOptions.builder().size(GraphqlCacheSize.SMALL).ttl(Duration.minutes(2)).build())
                .build();
        assertEquals("SMALL", bad.getCache().getType());
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> bad.addFunctionResolver("Query", "orders", Support.function(checked.stack, "Fn").getLambdaFunction()));
        assertTrue(error.getMessage().contains(
                "SecureGraphqlApi 'GraphErrors/Bad': no resolver can be added for Query.orders: type Query of the schema has no field 'orders'"),
                error.getMessage());
    }
}
