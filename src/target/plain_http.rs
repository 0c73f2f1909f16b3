//! The HTTP client for an account reached over plain `http://` (a local emulator).
//!
//! The SDK's default client reads the platform's root certificates (a few hundred files)
//! before its first request, whatever the scheme: about 10 ms, a third of what grading a
//! small lab against an emulator takes. With an `http://` endpoint nothing needs them, so
//! [`PlainFirst`] sends `http://` requests through a client that has no roots to read,
//! and anything `https://` (a service whose own endpoint setting says so) through the
//! SDK's TLS client, which reads the roots on the first such request and verifies as
//! usual. An `https://` endpoint, or none (AWS itself), keeps the SDK's default client.

use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// Whether `endpoint` is reached without TLS.
pub fn is_plain_http(endpoint: &str) -> bool {
    endpoint.get(..7).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

/// Routes each request by its scheme: `http://` to `plain`, anything else to `tls`, whose
/// connector is only asked for when such a request is made.
#[derive(Debug, Clone)]
pub struct PlainFirst {
    plain: SharedHttpClient,
    tls: SharedHttpClient,
}

impl PlainFirst {
    /// The client for an `http://` endpoint: rustls with no root certificates for plain
    /// requests (it never negotiates TLS for them), the SDK's rustls with the platform's
    /// roots for the others.
    pub fn for_plain_endpoint() -> SharedHttpClient {
        let provider = || tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc);
        let no_roots = TlsContext::builder()
            .with_trust_store(TrustStore::empty())
            .build()
            .expect("an empty trust store is a valid TLS context");
        let plain = aws_smithy_http_client::Builder::new().tls_provider(provider()).tls_context(no_roots).build_https();
        let tls = aws_smithy_http_client::Builder::new().tls_provider(provider()).build_https();
        Self::routing(plain, tls)
    }

    pub fn routing(plain: SharedHttpClient, tls: SharedHttpClient) -> SharedHttpClient {
        SharedHttpClient::new(PlainFirst { plain, tls })
    }
}

impl HttpClient for PlainFirst {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(Routed {
            plain: self.plain.http_connector(settings, components),
            tls: self.tls.clone(),
            settings: settings.clone(),
            components: components.clone(),
        })
    }
}

#[derive(Debug)]
struct Routed {
    plain: SharedHttpConnector,
    tls: SharedHttpClient,
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
}

impl HttpConnector for Routed {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        if is_plain_http(request.uri()) {
            self.plain.call(request)
        } else {
            // The TLS client keeps its connector per settings: built (roots read) once.
            self.tls.http_connector(&self.settings, &self.components).call(request)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
    use aws_smithy_types::body::SdkBody;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A client answering with `status`, counting the requests it gets.
    fn counting(status: u16) -> (SharedHttpClient, Arc<AtomicUsize>) {
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        let client = infallible_client_fn(move |_request| {
            seen.fetch_add(1, Ordering::SeqCst);
            http::Response::builder().status(status).body(SdkBody::empty()).unwrap()
        });
        (client, count)
    }

    /// Counts how often its connector is asked for: the TLS side's roots are read then.
    #[derive(Debug)]
    struct ConnectorsCounted(SharedHttpClient, Arc<AtomicUsize>);

    impl HttpClient for ConnectorsCounted {
        fn http_connector(&self, settings: &HttpConnectorSettings, rc: &RuntimeComponents) -> SharedHttpConnector {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.http_connector(settings, rc)
        }
    }

    fn request(uri: &str) -> HttpRequest {
        HttpRequest::try_from(http::Request::builder().uri(uri).body(SdkBody::empty()).unwrap()).unwrap()
    }

    #[tokio::test]
    async fn each_request_goes_by_its_scheme() {
        let (plain, plain_calls) = counting(200);
        let (tls, tls_calls) = counting(201);
        let tls_connectors = Arc::new(AtomicUsize::new(0));
        let client = PlainFirst::routing(plain, SharedHttpClient::new(ConnectorsCounted(tls, tls_connectors.clone())));
        let components = RuntimeComponentsBuilder::for_tests().build().unwrap();
        let connector = client.http_connector(&HttpConnectorSettings::default(), &components);

        for uri in ["http://127.0.0.1:4566/", "HTTP://localhost:5000/?Action=GetRole"] {
            assert_eq!(connector.call(request(uri)).await.unwrap().status().as_u16(), 200, "{uri}");
        }
        assert_eq!((plain_calls.load(Ordering::SeqCst), tls_calls.load(Ordering::SeqCst)), (2, 0));
        assert_eq!(tls_connectors.load(Ordering::SeqCst), 0, "plain requests never build the TLS connector");
        let answer = connector.call(request("https://sts.us-east-1.amazonaws.com/")).await.unwrap();
        assert_eq!(answer.status().as_u16(), 201);
        assert_eq!((plain_calls.load(Ordering::SeqCst), tls_calls.load(Ordering::SeqCst)), (2, 1));
    }

    #[test]
    fn only_the_http_scheme_is_plain() {
        for plain in ["http://127.0.0.1:5000", "HTTP://localhost", "Http://[::1]:4566/"] {
            assert!(is_plain_http(plain), "{plain}");
        }
        for not in ["https://127.0.0.1", "httpx://a", "http:/a", "", "http", "ftp://a", "ħttp://x"] {
            assert!(!is_plain_http(not), "{not}");
        }
    }
}
