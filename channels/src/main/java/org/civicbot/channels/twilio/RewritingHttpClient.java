package org.civicbot.channels.twilio;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.util.Optional;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;

/**
 * The Twilio SDK's HTTP client pointed at {@code civicbot.twilio.api-base-url}: the SDK has no base-URL
 * setting and always builds {@code https://api.twilio.com/...}, so we rewrite scheme, host and port and
 * hand the request to the SDK's own {@link NetworkHttpClient}.
 */
final class RewritingHttpClient extends HttpClient {

    private final URI base;
    private final HttpClient delegate;
    /** The SDK hides response headers from its exceptions; senders read Retry-After from here (same thread). */
    private final ThreadLocal<Response> lastResponse = new ThreadLocal<>();

    RewritingHttpClient(URI base) {
        this(base, new NetworkHttpClient(singleAttemptBuilder()));
    }

    RewritingHttpClient(URI base, HttpClient delegate) {
        this.base = base;
        this.delegate = delegate;
    }

    /**
     * One attempt only: the SDK would otherwise repeat a POST after a 5xx, sending a message twice when
     * Twilio did accept it; the outbox dispatcher decides about retries.
     */
    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        lastResponse.remove();
        Response response = delegate.makeRequest(rewrite(request));
        lastResponse.set(response);
        return response;
    }

    /** The response to the last request made on this thread, if it got one. */
    Optional<Response> lastResponseOnThisThread() {
        return Optional.ofNullable(lastResponse.get());
    }

    void forgetLastResponse() {
        lastResponse.remove();
    }

    /**
     * Apache HttpClient 5 retries by default, and on a 429 or 503 it sleeps for Retry-After and sends
     * the POST again: that would block a thread for as long as Twilio asks and could send a message
     * twice. Pacing and retries belong to the outbox dispatcher.
     */
    private static HttpClientBuilder singleAttemptBuilder() {
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setDefaultSocketConfig(HttpClient.DEFAULT_SOCKET_CONFIG);
        connections.setDefaultMaxPerRoute(10);
        connections.setMaxTotal(20);
        return HttpClientBuilder.create()
                .useSystemProperties()
                .disableAutomaticRetries()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(HttpClient.DEFAULT_REQUEST_CONFIG);
    }

    private Request rewrite(Request original) {
        URI url = URI.create(original.getUrl());
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String target = base.getScheme() + "://" + base.getRawAuthority() + basePath + url.getRawPath()
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        Request copy = new Request(original.getMethod(), target);
        copy.setContentType(original.getContentType());
        if (original.getAuthStrategy() != null) {
            copy.setAuth(original.getAuthStrategy());
        } else if (original.getUsername() != null) {
            copy.setAuth(original.getUsername(), original.getPassword());
        }
        original.getPostParams().forEach((name, values) -> values.forEach(v -> copy.addPostParam(name, v)));
        original.getQueryParams().forEach((name, values) -> values.forEach(v -> copy.addQueryParam(name, v)));
        original.getHeaderParams().forEach((name, values) -> values.forEach(v -> copy.addHeaderParam(name, v)));
        if (original.getBody() != null) {
            copy.setBody(original.getBody());
        }
        if (original.getFormParameters() != null) {
            copy.setFormParameters(original.getFormParameters());
        }
        if (original.getUserAgentExtensions() != null) {
            copy.setUserAgentExtensions(original.getUserAgentExtensions());
        }
        return copy;
    }
}
