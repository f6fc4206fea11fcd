package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdkbulwark.ApiAuthorization;
import io.github.cdkbulwark.ApiMethod;
import io.github.cdkbulwark.ApiRoute;
import io.github.cdkbulwark.ApiRouteOptions;
import io.github.cdkbulwark.SecureApi;
import io.github.cdkbulwark.Workflow;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigateway.CorsOptions;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Pass;

/**
 * What API Gateway makes of requests to a SecureApi workflow route (addWorkflowRoute): its mapping
 * templates, taken from the synthesized template and rendered with Apache Velocity, with
 * $util.escapeJavaScript as commons-lang's (API Gateway documents it as JavaScript string escaping
 * that also escapes single quotes:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html).
 * Nothing is deployed, so this is how the library proves that any body, path parameter and caller
 * becomes a valid StartExecution request whose input is the JSON it documents, and that error types
 * and CORS origins map as documented.
 */
class WorkflowRouteTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:Fulfilment";
    /** Quotes of both kinds, backslashes, a slash, a newline, a tab, non-ASCII and an emoji. */
    private static final String TRICKY = "it's \"quoted\" \\ back\\'slash </script>\nline\ttab é ✓ 😀 @@ $x #y";

    private static Map<String, Object> cognitoPost;
    private static Map<String, Object> iamDelete;
    private static Map<String, Object> anonymousPost;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("WorkflowRoutes");
        Stack stack = checked.stack;
        Workflow workflow = Workflow.Builder.create(stack, "Fulfilment")
                .definitionBody(DefinitionBody.fromChainable(new Pass(stack, "Pass")))
                .build();
        SecureApi api = SecureApi.Builder.create(stack, "Api")
                .userPool(UserPool.fromUserPoolId(stack, "Pool", Support.USER_POOL_ID))
                .cors(CorsOptions.builder().allowOrigins(List.of("https://a.example.com", "https://b.example.com")).build())
                .build();
        ApiRoute post = api.addWorkflowRoute(ApiMethod.POST, "/orders/{orderId}/lines/{line}", workflow);
        ApiRoute delete = api.addWorkflowRoute(ApiMethod.DELETE, "/orders/{orderId}", workflow,
                ApiRouteOptions.builder().authorization(ApiAuthorization.iam()).build());
        ApiRoute anonymous = api.addWorkflowRoute(ApiMethod.PUT, "/signups", workflow,
                ApiRouteOptions.builder().allowAnonymous(true).build());
        // The anonymous route's warning and findings are what this test opts in to.
        software.amazon.awscdk.Annotations.of(stack).acknowledgeWarning("cdk-bulwark:api:anonymous-route", "an anonymous route is under test");
        software.amazon.awscdk.Annotations.of(stack).acknowledgeWarning("cdk-bulwark:api:sets-account-cloudwatch-role", "tested in SecureApiTest");
        software.amazon.awscdk.Validations.of(anonymous.getApiMethod()).acknowledge(
                software.amazon.awscdk.Acknowledgment.builder().id("AwsSolutions-APIG4").reason("an anonymous route is under test").build());
        software.amazon.awscdk.Validations.of(anonymous.getApiMethod()).acknowledge(
                software.amazon.awscdk.Acknowledgment.builder().id("AwsSolutions-COG4").reason("an anonymous route is under test").build());
        software.amazon.awscdk.Validations.of(delete.getApiMethod()).acknowledge(
                software.amazon.awscdk.Acknowledgment.builder().id("AwsSolutions-COG4").reason("IAM authorization is under test").build());
        Template template = checked.synth();
        cognitoPost = methodProperties(template, stack, post);
        iamDelete = methodProperties(template, stack, delete);
        anonymousPost = methodProperties(template, stack, anonymous);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> methodProperties(final Template template, final Stack stack, final ApiRoute route) {
        String id = stack.getLogicalId((software.amazon.awscdk.CfnElement) route.getApiMethod().getNode().getDefaultChild());
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(id)).get("Properties");
    }

    /** The request template, the state machine's reference resolved to STATE_MACHINE_ARN. */
    @SuppressWarnings("unchecked")
    private static String requestTemplate(final Map<String, Object> method) {
        Map<String, Object> integration = (Map<String, Object>) method.get("Integration");
        Object body = ((Map<String, Object>) integration.get("RequestTemplates")).get("application/json");
        StringBuilder text = new StringBuilder();
        for (Object part : (List<Object>) ((List<Object>) ((Map<String, Object>) body).get("Fn::Join")).get(1)) {
            text.append(part instanceof String ? (String) part : STATE_MACHINE_ARN);
        }
        return text.toString();
    }

    @SuppressWarnings("unchecked")
    private static String responseTemplate(final Map<String, Object> method, final String statusCode) {
        Map<String, Object> integration = (Map<String, Object>) method.get("Integration");
        for (Map<String, Object> response : (List<Map<String, Object>>) integration.get("IntegrationResponses")) {
            if (statusCode.equals(response.get("StatusCode"))) {
                return (String) ((Map<String, Object>) response.get("ResponseTemplates")).get("application/json");
            }
        }
        throw new IllegalStateException("no integration response " + statusCode);
    }

    /** $util as API Gateway documents it (only what the templates use). */
    public static final class Util {
        public String escapeJavaScript(final String value) {
            return StringEscapeUtils.escapeJavaScript(value);
        }
    }

    /** $input: the request (or, for response templates, the integration response) body and the method request's parameters. */
    public static final class Input {
        private final String body;
        private final Map<String, Object> params;

        Input(final String body, final Map<String, Object> params) {
            this.body = body;
            this.params = params;
        }

        /** Only '$' is used: the whole body as JSON, as API Gateway re-serializes it (empty for an empty body). */
        public String json(final String path) throws JsonProcessingException {
            if (!"$".equals(path)) {
                throw new IllegalArgumentException(path);
            }
            return body.isEmpty() ? "" : JSON.readTree(body).toString();
        }

        /** Only '$.<field>' is used. */
        public Object path(final String path) throws JsonProcessingException {
            JsonNode node = JSON.readTree(body).get(path.substring(2));
            return node == null ? null : node.asText();
        }

        public Map<String, Object> params() {
            return params;
        }
    }

    private static final class Rendered {
        final String output;
        final Map<String, Object> context;

        Rendered(final String output, final Map<String, Object> context) {
            this.output = output;
            this.context = context;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> override(final String part) {
            return (Map<String, Object>) ((Map<String, Object>) context.get("responseOverride")).get(part);
        }
    }

    private static final String REQUEST_ID = "c0ffee00-1234-4abc-9def-000000000001";

    private static Rendered render(final String template, final String body, final Map<String, String> path, final Map<String, String> headers,
            final Map<String, Object> authorizer, final Map<String, Object> identity) {
        return render(template, body, path, headers, authorizer, identity, REQUEST_ID);
    }

    private static Rendered render(final String template, final String body, final Map<String, String> path, final Map<String, String> headers,
            final Map<String, Object> authorizer, final Map<String, Object> identity, final String requestId) {
        VelocityEngine engine = new VelocityEngine();
        engine.init();
        Map<String, Object> params = new HashMap<>();
        params.put("path", new HashMap<>(path));
        params.put("querystring", new HashMap<>());
        params.put("header", new HashMap<>(headers));
        Map<String, Object> context = new HashMap<>();
        context.put("requestId", requestId);
        context.put("authorizer", authorizer);
        context.put("identity", identity);
        Map<String, Object> override = new HashMap<>();
        override.put("header", new HashMap<String, Object>());
        context.put("responseOverride", override);
        VelocityContext velocity = new VelocityContext();
        velocity.put("util", new Util());
        velocity.put("input", new Input(body, params));
        velocity.put("context", context);
        StringWriter out = new StringWriter();
        engine.evaluate(velocity, out, "template", template);
        return new Rendered(out.toString(), context);
    }

    private static JsonNode startExecution(final Map<String, Object> method, final String body, final Map<String, String> path,
            final Map<String, Object> authorizer, final Map<String, Object> identity) throws JsonProcessingException {
        String rendered = render(requestTemplate(method), body, path, Map.of(), authorizer, identity).output;
        JsonNode request = JSON.readTree(rendered);
        assertEquals(STATE_MACHINE_ARN, request.get("stateMachineArn").asText(), rendered);
        assertEquals(REQUEST_ID, request.get("name").asText(), rendered);
        assertEquals(3, request.size(), rendered);
        return JSON.readTree(request.get("input").asText());
    }

    @Test
    void aCognitoRouteStartsTheExecutionWithTheBodyThePathAndTheSubject() throws JsonProcessingException {
        Map<String, Object> body = Map.of("note", TRICKY, "lines", List.of(1, 2.5, true), "nested", Map.of("k", "v'"), "none", Map.of());
        JsonNode input = startExecution(cognitoPost, JSON.writeValueAsString(body),
                Map.of("orderId", TRICKY, "line", "7"),
                Map.of("claims", Map.of("sub", "user-'\"-1")), Map.of());
        assertEquals(JSON.valueToTree(Map.of(
                "body", body,
                "path", Map.of("orderId", TRICKY, "line", "7"),
                "caller", "user-'\"-1",
                "requestId", REQUEST_ID)), input);
    }

    @Test
    void anIamRouteNamesTheCallersArnAndAnEmptyBodyIsAnEmptyObject() throws JsonProcessingException {
        JsonNode input = startExecution(iamDelete, "", Map.of("orderId", "o-1"), Map.of(),
                Map.of("userArn", "arn:aws:sts::123456789012:assumed-role/Ops/jane's"));
        assertEquals(JSON.valueToTree(Map.of(
                "body", Map.of(),
                "path", Map.of("orderId", "o-1"),
                "caller", "arn:aws:sts::123456789012:assumed-role/Ops/jane's",
                "requestId", REQUEST_ID)), input);
    }

    @Test
    void anAnonymousRouteHasNoCaller() throws JsonProcessingException {
        JsonNode input = startExecution(anonymousPost, "{\"email\":\"a@example.com\"}", Map.of(), Map.of(), Map.of());
        assertEquals(JSON.valueToTree(Map.of(
                "body", Map.of("email", "a@example.com"),
                "path", Map.of(),
                "requestId", REQUEST_ID)), input);
    }

    /**
     * A client can set the request id (X-Amzn-RequestId): one that is not API Gateway's UUID form does
     * not name the execution (Step Functions does) and cannot add fields to the request or the input.
     */
    @Test
    void aRequestIdSetByTheClientCannotInjectFieldsOrNameTheExecution() throws JsonProcessingException {
        String forged = "x\",\"caller\":\"admin\",\"stateMachineArn\":\"arn:aws:states:eu-west-1:123456789012:stateMachine:Other";
        String rendered = render(requestTemplate(cognitoPost), "{}", Map.of("orderId", "o-1", "line", "1"), Map.of(),
                Map.of("claims", Map.of("sub", "user-1")), Map.of(), forged).output;
        JsonNode request = JSON.readTree(rendered);
        assertEquals(List.of("stateMachineArn", "input"), List.copyOf(iterable(request.fieldNames())), rendered);
        assertEquals(STATE_MACHINE_ARN, request.get("stateMachineArn").asText());
        JsonNode input = JSON.readTree(request.get("input").asText());
        assertEquals("user-1", input.get("caller").asText());
        assertEquals(forged, input.get("requestId").asText());
        assertEquals(4, input.size());
    }

    private static List<String> iterable(final java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void aStartedExecutionAnswersWithItsNameAndAListedOriginIsEchoed() throws JsonProcessingException {
        Map<String, String> arns = Map.of(
                "arn:aws:states:eu-west-1:123456789012:execution:Fulfilment:" + REQUEST_ID, REQUEST_ID,
                "arn:aws:states:eu-west-1:123456789012:express:Fulfilment:" + REQUEST_ID + ":0a1b2c3d-0000-4000-8000-000000000000", REQUEST_ID,
                "arn:aws-cn:states:cn-north-1:123456789012:execution:Fulfilment:generated-name", "generated-name");
        for (Map.Entry<String, String> arn : arns.entrySet()) {
            for (String header : List.of("Origin", "origin")) {
                Rendered started = render(responseTemplate(cognitoPost, "202"),
                        JSON.writeValueAsString(Map.of("executionArn", arn.getKey(), "startDate", 1.7E9)), Map.of(),
                        Map.of(header, "https://b.example.com"), Map.of(), Map.of());
                assertEquals(JSON.valueToTree(Map.of("executionName", arn.getValue())), JSON.readTree(started.output), started.output);
                assertEquals("https://b.example.com", started.override("header").get("Access-Control-Allow-Origin"));
            }
        }
        Rendered other = render(responseTemplate(cognitoPost, "202"), "{\"executionArn\":\"x\"}", Map.of(),
                Map.of("Origin", "https://evil.example.com"), Map.of(), Map.of());
        assertFalse(other.override("header").containsKey("Access-Control-Allow-Origin"));
    }

    @Test
    void stepFunctionsErrorsBecome400409429Or500ByTheirType() throws JsonProcessingException {
        Map<String, Integer> statusByType = new HashMap<>();
        statusByType.put("com.amazonaws.swf.service.v2.model#InvalidExecutionInput", 400);
        statusByType.put("ValidationException", 400);
        statusByType.put("com.amazonaws.swf.service.v2.model#InvalidName", 400);
        statusByType.put("com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists", 409);
        statusByType.put("com.amazonaws.swf.service.v2.model#ThrottlingException", 429);
        statusByType.put("com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded", 429);
        statusByType.put("AccessDeniedException", null);
        statusByType.put("KMSAccessDeniedException", null);
        for (Map.Entry<String, Integer> entry : statusByType.entrySet()) {
            Rendered failed = render(responseTemplate(cognitoPost, "500"), JSON.writeValueAsString(Map.of("__type", entry.getKey(), "message", "m")),
                    Map.of(), Map.of(), Map.of(), Map.of());
            JsonNode answer = JSON.readTree(failed.output);
            assertEquals(entry.getValue(), failed.context.get("responseOverride") == null ? null
                    : ((Map<?, ?>) failed.context.get("responseOverride")).get("status"), entry.getKey());
            assertFalse(answer.get("message").asText().isEmpty());
            if (entry.getValue() == null) {
                assertEquals("The workflow could not be started", answer.get("message").asText());
                assertNull(((Map<?, ?>) failed.context.get("responseOverride")).get("status"));
            }
        }
    }
}
