//! Refusals of `repool serve` as JSON, `{"ok": false, "errors": [{"row", "column",
//! "message"}]}`, the shape of `/api/pool`'s errors, with the status code saying why: 400 not
//! JSON, 408 body too slow, 413 body too large, 415 not sent as JSON, 422 not a pooling
//! request or a PNG over the pixel budget, 503 every rendering slot busy. Messages are in
//! en/nl/fr: the request's `lang`, or before it is read, its `Accept-Language` (the page
//! sends its language there).

use std::sync::Arc;

use axum::extract::rejection::{BytesRejection, FailedToBufferBody, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;

use repool::check::Lang;
use repool::i18n::errors::Localize;
use repool::plot::render::RenderError;

use repool::io::write::serve::{CellError, PoolReply};

use super::{err, lang_code, AppState, BODY_LIMIT};

/// A JSON request body, read within the body timeout; every refusal is JSON.
pub(super) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let lang = accept_language(req.headers());
        let read = Json::<T>::from_request(req, state);
        match tokio::time::timeout(state.body_timeout, read).await {
            Ok(Ok(Json(value))) => Ok(ApiJson(value)),
            Ok(Err(rejection)) => Err(rejected(lang, &rejection)),
            Err(_) => {
                let secs = state.body_timeout.as_secs_f64();
                let mut r = errors(
                    StatusCode::REQUEST_TIMEOUT,
                    vec![err(text(lang, Msg::BodyTimeout(secs)))],
                );
                // The rest of the body is not awaited: the connection ends with this answer.
                r.headers_mut()
                    .insert(header::CONNECTION, "close".parse().expect("a header value"));
                Err(r)
            }
        }
    }
}

/// `{"ok": false, "errors": errors}` with `status`.
pub(super) fn errors(status: StatusCode, errors: Vec<CellError>) -> Response {
    (status, Json(PoolReply::errors(errors))).into_response()
}

/// 503: every rendering slot stayed busy.
pub(super) fn busy(lang: Lang) -> Response {
    let mut r = errors(
        StatusCode::SERVICE_UNAVAILABLE,
        vec![err(text(lang, Msg::Busy))],
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, "2".parse().expect("a header value"));
    r
}

/// Why a PNG was not drawn.
pub(super) fn render_error(lang: Lang, e: &RenderError) -> CellError {
    match e {
        RenderError::OverBudget {
            width,
            height,
            max_megapixels,
        } => err(text(
            lang,
            Msg::PixelBudget(*width, *height, *max_megapixels),
        )),
        other => err(other.message(lang)),
    }
}

/// axum's rejection of a JSON body, as JSON with the same status.
fn rejected(lang: Lang, rejection: &JsonRejection) -> Response {
    let body_text = rejection.body_text();
    // axum's text is "<what>: <serde's message>"; the message names the place.
    let detail = body_text
        .split_once(": ")
        .map_or(body_text.as_str(), |(_, d)| d);
    let msg = match rejection {
        JsonRejection::JsonSyntaxError(_) => Msg::NotJson(detail),
        JsonRejection::JsonDataError(_) => Msg::Fields(detail),
        JsonRejection::MissingJsonContentType(_) => Msg::ContentType,
        JsonRejection::BytesRejection(BytesRejection::FailedToBufferBody(
            FailedToBufferBody::LengthLimitError(_),
        )) => Msg::TooLarge,
        _ => Msg::Unreadable(detail),
    };
    errors(rejection.status(), vec![err(text(lang, msg))])
}

/// The first of en, nl and fr in `Accept-Language`; English if none.
fn accept_language(headers: &HeaderMap) -> Lang {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Lang::En;
    };
    value
        .split(',')
        .filter_map(|tag| {
            let tag = tag.split(';').next()?.trim();
            lang_code(&tag.split('-').next()?.to_ascii_lowercase())
        })
        .next()
        .unwrap_or(Lang::En)
}

/// What a refusal says.
#[derive(Debug, Clone, Copy)]
enum Msg<'a> {
    NotJson(&'a str),
    Fields(&'a str),
    ContentType,
    TooLarge,
    Unreadable(&'a str),
    BodyTimeout(f64),
    Busy,
    /// Width and height in px, the budget in megapixels.
    PixelBudget(u64, u64, u64),
}

fn text(lang: Lang, msg: Msg) -> String {
    use repool::i18n::{fill, text};
    match msg {
        Msg::NotJson(d) => fill(lang, "serve.not_json", &[("detail", d)]),
        Msg::Fields(d) => fill(lang, "serve.fields", &[("detail", d)]),
        Msg::ContentType => text(lang, "serve.content_type").into(),
        Msg::TooLarge => {
            let (kib, max) = (
                (BODY_LIMIT / 1024).to_string(),
                super::MAX_STUDIES.to_string(),
            );
            fill(lang, "serve.too_large", &[("kib", &kib), ("max", &max)])
        }
        Msg::Unreadable(d) => fill(lang, "serve.unreadable", &[("detail", d)]),
        Msg::BodyTimeout(s) => {
            let s = repool::format::localise_number(lang, &s.to_string());
            fill(lang, "serve.body_timeout", &[("seconds", &s)])
        }
        Msg::Busy => text(lang, "serve.busy").into(),
        Msg::PixelBudget(w, h, max) => {
            let (w, h, max) = (w.to_string(), h.to_string(), max.to_string());
            let args = [
                ("width", w.as_str()),
                ("height", h.as_str()),
                ("max", max.as_str()),
            ];
            fill(lang, "serve.pixel_budget", &args)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_known_language_of_accept_language() {
        let lang = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_LANGUAGE, v.parse().unwrap());
            accept_language(&h)
        };
        assert_eq!(lang("nl"), Lang::Nl);
        assert_eq!(lang("de-DE, fr-BE;q=0.8, en;q=0.5"), Lang::Fr);
        assert_eq!(lang("NL-be"), Lang::Nl);
        assert_eq!(lang("de, es"), Lang::En);
        assert_eq!(accept_language(&HeaderMap::new()), Lang::En);
    }
}
