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
        other => err(other.to_string()),
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
    let kib = BODY_LIMIT / 1024;
    match (msg, lang) {
        (Msg::NotJson(d), Lang::Nl) => format!("het verzoek is geen geldige JSON: {d}"),
        (Msg::NotJson(d), Lang::Fr) => format!("la requête n'est pas du JSON valide : {d}"),
        (Msg::NotJson(d), _) => format!("the request is not valid JSON: {d}"),
        (Msg::Fields(d), Lang::Nl) => format!("het verzoek heeft niet de verwachte velden: {d}"),
        (Msg::Fields(d), Lang::Fr) => {
            format!("la requête n'a pas les champs attendus : {d}")
        }
        (Msg::Fields(d), _) => format!("the request does not have the expected fields: {d}"),
        (Msg::ContentType, Lang::Nl) => {
            "stuur het verzoek als JSON (Content-Type: application/json)".into()
        }
        (Msg::ContentType, Lang::Fr) => {
            "envoyez la requête en JSON (Content-Type: application/json)".into()
        }
        (Msg::ContentType, _) => "send the request as JSON (Content-Type: application/json)".into(),
        (Msg::TooLarge, Lang::Nl) => format!(
            "het verzoek is groter dan {kib} KiB: de pagina neemt hoogstens {} studies",
            super::MAX_STUDIES
        ),
        (Msg::TooLarge, Lang::Fr) => format!(
            "la requête dépasse {kib} Kio : la page prend au plus {} études",
            super::MAX_STUDIES
        ),
        (Msg::TooLarge, _) => format!(
            "the request is larger than {kib} KiB: the page takes at most {} studies",
            super::MAX_STUDIES
        ),
        (Msg::Unreadable(d), Lang::Nl) => format!("het verzoek kon niet gelezen worden: {d}"),
        (Msg::Unreadable(d), Lang::Fr) => format!("la requête n'a pas pu être lue : {d}"),
        (Msg::Unreadable(d), _) => format!("the request could not be read: {d}"),
        (Msg::BodyTimeout(s), Lang::Nl) => {
            format!("de inhoud van het verzoek kwam niet binnen {s} s aan")
        }
        (Msg::BodyTimeout(s), Lang::Fr) => {
            format!("le corps de la requête n'est pas arrivé en {s} s")
        }
        (Msg::BodyTimeout(s), _) => format!("the request's body did not arrive within {s} s"),
        (Msg::Busy, Lang::Nl) => "de server tekent andere PNG's: probeer het zo opnieuw".into(),
        (Msg::Busy, Lang::Fr) => {
            "le serveur dessine d'autres PNG : réessayez dans un instant".into()
        }
        (Msg::Busy, _) => "the server is drawing other PNGs: try again in a moment".into(),
        (Msg::PixelBudget(w, h, max), Lang::Nl) => format!(
            "de forest plot zou een PNG van {w} × {h} pixels worden, meer dan de toegestane \
             {max} megapixels: download de SVG"
        ),
        (Msg::PixelBudget(w, h, max), Lang::Fr) => format!(
            "le forest plot serait un PNG de {w} × {h} pixels, plus que les {max} mégapixels \
             permis : téléchargez le SVG"
        ),
        (Msg::PixelBudget(w, h, max), _) => format!(
            "the forest plot would be a PNG of {w} × {h} pixels, more than the {max} \
             megapixels allowed: download the SVG"
        ),
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
