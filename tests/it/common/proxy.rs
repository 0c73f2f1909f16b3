//! A fault-injecting HTTP proxy between labcheck and an emulator, on 127.0.0.1.
//!
//! Requests pass through unchanged unless a fault is planned for their operation; a
//! fault applies to the first `times` requests of that operation (retries included),
//! then requests pass again.
#![allow(dead_code)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// The service's throttling error, in the request's protocol.
    Throttle,
    /// HTTP 500 with an InternalFailure error.
    ServerError,
    /// Close the connection without answering.
    Drop,
    /// Answer, but only after this long.
    Slow(Duration),
    /// The service's AccessDenied error.
    Deny,
}

#[derive(Default)]
struct Plan {
    /// operation -> (fault, how many times, only requests whose body contains this)
    faults: HashMap<String, (Fault, usize, Option<String>)>,
    injected: HashMap<String, usize>,
}

#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    plan: Arc<Mutex<Plan>>,
}

impl FaultProxy {
    /// Start a proxy to `upstream` on a free loopback port; it stops with the runtime.
    pub async fn start(upstream: &str) -> FaultProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let plan: Arc<Mutex<Plan>> = Arc::default();
        let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
        let upstream = upstream.trim_end_matches('/').to_string();
        let shared = plan.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (plan, client, upstream) = (shared.clone(), client.clone(), upstream.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        handle(req, plan.clone(), client.clone(), upstream.clone())
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FaultProxy { url, plan }
    }

    /// Fault the first `times` requests of `operation` (e.g. `DescribeLogGroups`).
    pub fn plan(&self, operation: &str, fault: Fault, times: usize) {
        self.plan_matching(operation, None, fault, times);
    }

    /// Like [`plan`](Self::plan), for the requests whose body or `Authorization` header
    /// (which names the signing Region) contains `needle` only.
    pub fn plan_matching(&self, operation: &str, needle: Option<&str>, fault: Fault, times: usize) {
        let mut plan = self.plan.lock().unwrap();
        plan.faults.insert(operation.to_string(), (fault, times, needle.map(str::to_string)));
        plan.injected.remove(operation);
    }

    pub fn clear(&self) {
        let mut plan = self.plan.lock().unwrap();
        plan.faults.clear();
        plan.injected.clear();
    }

    /// How many requests of `operation` were faulted.
    pub fn injected(&self, operation: &str) -> usize {
        self.plan.lock().unwrap().injected.get(operation).copied().unwrap_or(0)
    }
}

/// The operation a request calls, in each protocol the SDK speaks.
fn operation(req: &hyper::http::request::Parts, body: &[u8]) -> String {
    if let Some(target) = req.headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        return target.rsplit('.').next().unwrap_or(target).to_string(); // awsJson
    }
    if let Some(op) = req.uri.path().split("/operation/").nth(1) {
        return op.to_string(); // rpc-v2-cbor
    }
    let form = String::from_utf8_lossy(body); // awsQuery
    form.split('&').find_map(|kv| kv.strip_prefix("Action=")).unwrap_or("?").to_string()
}

enum Protocol {
    Json,
    Query,
    Other,
}

fn protocol(req: &hyper::http::request::Parts) -> Protocol {
    if req.headers.contains_key("x-amz-target") {
        Protocol::Json
    } else if req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("x-www-form-urlencoded"))
    {
        Protocol::Query
    } else {
        Protocol::Other
    }
}

fn error_response(proto: &Protocol, status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    let (content_type, body) = match proto {
        Protocol::Json => ("application/x-amz-json-1.1", format!(r#"{{"__type":"{code}","message":"{message}"}}"#)),
        Protocol::Query | Protocol::Other => (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
            ),
        ),
    };
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", content_type)
        .header("x-amzn-errortype", code)
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

async fn handle(
    req: Request<Incoming>,
    plan: Arc<Mutex<Plan>>,
    client: Client<HttpConnector, Full<Bytes>>,
    upstream: String,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map_err(std::io::Error::other)?.to_bytes();
    let op = operation(&parts, &body);
    let fault = {
        let mut plan = plan.lock().unwrap();
        let auth = parts.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
        let body_text = format!("{auth}\n{}", String::from_utf8_lossy(&body));
        match plan.faults.get(&op).cloned() {
            Some((fault, times, needle))
                if plan.injected.get(&op).copied().unwrap_or(0) < times
                    && needle.as_deref().is_none_or(|n| body_text.contains(n)) =>
            {
                *plan.injected.entry(op.clone()).or_default() += 1;
                Some(fault)
            }
            _ => None,
        }
    };
    let proto = protocol(&parts);
    match fault {
        Some(Fault::Throttle) => return Ok(error_response(&proto, 400, "ThrottlingException", "Rate exceeded")),
        Some(Fault::ServerError) => return Ok(error_response(&proto, 500, "InternalFailure", "injected")),
        Some(Fault::Deny) => {
            return Ok(error_response(&proto, 400, "AccessDeniedException", "User is not authorized (injected)"));
        }
        Some(Fault::Drop) => return Err(std::io::Error::other("connection dropped (injected)")),
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let uri = format!("{upstream}{}", parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
    let mut forward = Request::builder().method(parts.method.clone()).uri(uri);
    for (name, value) in &parts.headers {
        forward = forward.header(name, value);
    }
    let answer = client.request(forward.body(Full::new(body)).unwrap()).await.map_err(std::io::Error::other)?;
    let (parts, body) = answer.into_parts();
    let body = body.collect().await.map_err(std::io::Error::other)?.to_bytes();
    Ok(Response::from_parts(parts, Full::new(body)))
}
