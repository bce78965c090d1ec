//! The command line's wording of library errors. The library says what is wrong with the
//! data or the configuration; here the message names the option that changes it.

use repool::PoolError;

/// The message of a pooling error as the command line prints it, with the options
/// (`--method`, `--model`, `--ci`, `--vtype`) that set what the error is about.
pub(crate) fn pool_error(e: &PoolError) -> String {
    match e {
        PoolError::NeedsTwoByTwo {
            method,
            study,
            kind,
        } => format!("--method {method} needs 2x2 tables (events_t, n_t, events_c, n_c), but study '{study}' has {kind}"),
        PoolError::MethodMeasure { method, measure } => format!(
            "--method {method} is not defined for measure {measure} (MH: RR, OR, RD; PETO: OR)"
        ),
        PoolError::VtypeMeasure { measure } => format!("--vtype HO (pooled-SD variance) applies to the mean difference (--measure MD) from means and SDs, not to {measure}"),
        PoolError::MethodModel { method } => format!("--method {method} is a common-effect method: use it with --model fixed (random-effects pooling uses inverse-variance weights, --method IV)"),
        PoolError::MethodCi { method } => format!("--method {method} supports only --ci z"),
        PoolError::HksjNeedsTwo => format!("{e}; use --ci z"),
        _ => e.to_string(),
    }
}

/// [`pool_error`] as an `anyhow` error; errors without an option to name keep their
/// source chain.
pub(crate) fn pool_anyhow(e: PoolError) -> anyhow::Error {
    match e {
        PoolError::NeedsTwoByTwo { .. }
        | PoolError::MethodMeasure { .. }
        | PoolError::VtypeMeasure { .. }
        | PoolError::MethodModel { .. }
        | PoolError::MethodCi { .. }
        | PoolError::HksjNeedsTwo => anyhow::anyhow!(pool_error(&e)),
        e => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_named_by_the_command_line_only() {
        let e = PoolError::MethodCi { method: "MH" };
        assert!(!e.to_string().contains("--"), "{e}");
        assert_eq!(pool_error(&e), "--method MH supports only --ci z");
        let e = PoolError::HksjNeedsTwo;
        assert_eq!(
            pool_anyhow(e).to_string(),
            "the Hartung-Knapp-Sidik-Jonkman CI needs at least 2 studies (k = 1); use --ci z"
        );
        let e = PoolError::NoStudies { excluded: 0 };
        assert_eq!(pool_error(&e), e.to_string());
    }
}
