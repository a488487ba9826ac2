use super::*;

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

#[cfg(feature = "demo")]
#[test]
fn defaults_serve_localhost_on_sqlite_in_demo_mode() {
    let c = config(&[]).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:3000");
    assert_eq!(c.public_origin(), "http://localhost:3000");
    assert_eq!(c.database_url, "sqlite://flowhost.db?mode=rwc");
    assert_eq!(c.session_idle, Duration::from_secs(480 * 60));
    assert_eq!(c.session_absolute, Duration::from_secs(24 * 3600));
    assert!(c.is_demo() && !c.secure_cookies());
    assert!(matches!(
        c.identity,
        Identity::Demo { sandbox, flow_sandbox, .. } if sandbox.port() == 3100 && flow_sandbox.port() == 3200
    ));
    assert_eq!(c.power_automate, None, "the sandbox's, once it runs");
}

#[cfg(feature = "demo")]
#[test]
fn the_sandbox_serves_the_sdk_generation_and_host_chosen() {
    use sandbox::{FlowPortal, SdkGeneration, SdkSetting};
    let c = config(&[
        ("SANDBOX_FLOW_SDK", "1.1"),
        ("SANDBOX_FLOW_PORTAL", "classic"),
    ])
    .unwrap();
    let chosen = SdkSetting {
        sdk: SdkGeneration::V1_1,
        host: FlowPortal::Classic,
    };
    assert!(matches!(c.identity, Identity::Demo { flow_sdk, .. } if flow_sdk == chosen));
    let c = config(&[]).unwrap();
    assert!(
        matches!(c.identity, Identity::Demo { flow_sdk, .. } if flow_sdk == SdkSetting::default())
    );
    for (var, value) in [("SANDBOX_FLOW_SDK", "2"), ("SANDBOX_FLOW_PORTAL", "gov")] {
        let e = config(&[(var, value)]).unwrap_err();
        assert_eq!(e.variable, var, "{value}");
    }
}

#[test]
fn each_bad_setting_names_its_variable() {
    for (var, value) in [
        ("LEPTOS_SITE_ADDR", "localhost"),
        ("PUBLIC_URL", "not a url"),
        ("PUBLIC_URL", "ftp://example.com"),
        ("DATABASE_URL", "mysql://u:p@db/x"),
        ("DATABASE_URL", "::::"),
        ("SESSION_IDLE_MINUTES", "0"),
        ("SESSION_IDLE_MINUTES", "soon"),
        ("SESSION_ABSOLUTE_HOURS", "0"),
        ("ALLOWED_TENANTS", "contoso.example"),
    ] {
        let e = config(&[(var, value)]).unwrap_err();
        assert_eq!(e.variable, var, "{value}");
        assert!(
            e.to_string()
                .starts_with(&format!("configuration error: {var}: "))
        );
    }
}

#[test]
fn database_passwords_are_never_repeated() {
    let e = config(&[("DATABASE_URL", "mysql://user:hunter2@db/x")]).unwrap_err();
    assert!(!e.to_string().contains("hunter2"));
    let c = azure(&[("DATABASE_URL", "postgres://user:hunter2@db/x")]).unwrap();
    assert!(!format!("{c:?}").contains("hunter2"));
}

#[test]
fn https_public_url_means_secure_cookies() {
    let mut c = azure(&[]).unwrap();
    assert!(!c.secure_cookies());
    // Set directly: a demo build refuses an https PUBLIC_URL.
    c.public_url = Url::parse("https://desk.example.com/").unwrap();
    assert!(c.secure_cookies());
}

#[test]
fn the_file_holds_settings_in_lower_case_and_rejects_unknown_ones() {
    let file = parse_file("database_url = \"sqlite://x.db\"\nsession_idle_minutes = 30\n").unwrap();
    assert_eq!(file["DATABASE_URL"], "sqlite://x.db");
    assert_eq!(file["SESSION_IDLE_MINUTES"], "30");
    assert_eq!(
        parse_file("databse_url = \"x\"").unwrap_err().variable,
        "FLOWHOST_CONFIG"
    );
}

const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const AZURE: [(&str, &str); 4] = [
    ("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555"),
    ("AZURE_CLIENT_SECRET", "s3cret-value"),
    ("ISV_TENANT_ID", "99999999-8888-7777-6666-555555555555"),
    ("TOKEN_ENCRYPTION_KEY", KEY),
];

#[test]
fn azure_client_id_turns_demo_mode_off() {
    let c = config(&AZURE).unwrap();
    // Irrefutable in a build without demo mode.
    #[allow(irrefutable_let_patterns)]
    let Identity::Azure(app) = &c.identity else {
        panic!("not demo mode")
    };
    assert_eq!(app.authority, "https://login.microsoftonline.com");
    assert_eq!(app.tenant, "organizations");
    assert!(!format!("{c:?}").contains("s3cret"));
}

/// The Azure settings with `changes` applied; an empty value removes a setting.
fn azure(changes: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut vars: BTreeMap<&str, &str> = AZURE.into_iter().collect();
    vars.extend(changes.iter().copied());
    let vars: Vec<_> = vars.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    config(&vars)
}

#[test]
fn power_automate_defaults_to_the_public_cloud_and_takes_an_origin() {
    let c = azure(&[]).unwrap();
    assert_eq!(
        c.power_automate,
        Some(PowerAutomate {
            host: "https://make.powerautomate.com".into(),
            resource: "https://service.flow.microsoft.com/".into(),
            api: "https://api.flow.microsoft.com".into(),
            platform_api: "https://api.bap.microsoft.com".into(),
            powerapps_api: "https://api.powerapps.com".into(),
            powerapps_resource: "https://service.powerapps.com/".into(),
        })
    );
    let gov = azure(&[
        ("FLOW_HOST", "https://make.gov.powerautomate.us/"),
        ("FLOW_RESOURCE", "https://gov.service.flow.microsoft.us/"),
        ("FLOW_API", "https://gov.api.flow.microsoft.us/"),
    ])
    .unwrap()
    .power_automate
    .unwrap();
    assert_eq!(gov.host, "https://make.gov.powerautomate.us");
    assert_eq!(gov.resource, "https://gov.service.flow.microsoft.us/");
    assert_eq!(gov.api, "https://gov.api.flow.microsoft.us");
    for (var, bad) in [
        ("FLOW_HOST", "http://make.powerautomate.com"),
        ("FLOW_HOST", "https://make.powerautomate.com/en-us/widgets"),
        ("FLOW_HOST", "make.powerautomate.com"),
        ("FLOW_RESOURCE", "service.flow.microsoft.com"),
        ("FLOW_API", "http://api.flow.microsoft.com"),
        ("FLOW_API", "https://api.flow.microsoft.com/providers"),
        ("FLOW_API", "api.flow.microsoft.com"),
        ("POWER_PLATFORM_API", "http://api.bap.microsoft.com"),
        ("POWERAPPS_API", "https://api.powerapps.com/providers"),
        ("POWERAPPS_RESOURCE", "service.powerapps.com"),
    ] {
        assert_eq!(azure(&[(var, bad)]).unwrap_err().variable, var, "{bad}");
    }
}

#[test]
fn an_azure_app_needs_its_secret_isv_tenant_and_key() {
    for missing in [
        "AZURE_CLIENT_SECRET",
        "ISV_TENANT_ID",
        "TOKEN_ENCRYPTION_KEY",
    ] {
        assert_eq!(azure(&[(missing, "")]).unwrap_err().variable, missing);
    }
    for (var, bad) in [
        ("TOKEN_ENCRYPTION_KEY", "c2hvcnQ="),
        ("ISV_TENANT_ID", "flowhost.example"),
        ("AZURE_TENANT", "common"),
        ("AZURE_TENANT", "a/b"),
        ("AZURE_AUTHORITY", "login.microsoftonline.com"),
        ("AZURE_AUTHORITY", "http://login.microsoftonline.com"),
    ] {
        assert_eq!(azure(&[(var, bad)]).unwrap_err().variable, var, "{bad}");
    }
}

#[test]
fn allowed_tenants_is_a_comma_list_of_tenant_ids() {
    let c = azure(&[(
        "ALLOWED_TENANTS",
        "C0A7F3E2-1B4D-4E8A-9C6F-2D3E4F5A6B70, fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d",
    )])
    .unwrap();
    let ids: Vec<_> = c
        .allowed_tenants
        .unwrap()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70",
            "fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d"
        ]
    );
}

#[cfg(not(feature = "demo"))]
#[test]
fn without_azure_client_id_a_build_without_demo_mode_stops() {
    let e = config(&[]).unwrap_err();
    assert_eq!(e.variable, "AZURE_CLIENT_ID");
    assert!(azure(&[]).is_ok());
}

#[cfg(feature = "demo")]
#[test]
fn demo_mode_refuses_its_misplaced_settings() {
    for (var, value) in [
        ("SANDBOX_ADDR", "sandbox"),
        ("SANDBOX_FLOW_ADDR", "127.0.0.1"),
        ("FLOW_HOST", "https://make.powerautomate.com"),
        ("FLOW_RESOURCE", "https://service.flow.microsoft.com/"),
        ("FLOW_API", "https://api.flow.microsoft.com"),
    ] {
        assert_eq!(
            config(&[(var, value)]).unwrap_err().variable,
            var,
            "{value}"
        );
    }
}

#[cfg(feature = "demo")]
#[test]
fn a_demo_build_listens_on_loopback_only() {
    for (var, value) in [
        ("LEPTOS_SITE_ADDR", "0.0.0.0:3000"),
        ("LEPTOS_SITE_ADDR", "192.168.1.20:3000"),
        ("LEPTOS_SITE_ADDR", "[::]:3000"),
        ("SANDBOX_ADDR", "0.0.0.0:3100"),
        ("SANDBOX_FLOW_ADDR", "10.0.0.5:3200"),
    ] {
        let e = config(&[(var, value)]).unwrap_err();
        assert_eq!(e.variable, var, "{value}");
        assert!(e.message.contains("loopback"), "{e}");
    }
    // With an Azure AD app too: the build, not the mode, decides.
    assert_eq!(
        azure(&[("LEPTOS_SITE_ADDR", "0.0.0.0:3000")])
            .unwrap_err()
            .variable,
        "LEPTOS_SITE_ADDR"
    );
    let c = config(&[
        ("LEPTOS_SITE_ADDR", "[::1]:3000"),
        ("SANDBOX_ADDR", "127.0.0.2:3100"),
    ])
    .unwrap();
    assert!(c.is_demo() && c.listen.ip().is_loopback());
}

#[cfg(feature = "demo")]
#[test]
fn a_demo_build_refuses_an_https_public_url() {
    for vars in [
        vec![("PUBLIC_URL", "https://desk.example.com")],
        vec![("PUBLIC_URL", "https://localhost:3000")],
    ] {
        assert_eq!(config(&vars).unwrap_err().variable, "PUBLIC_URL");
    }
    assert_eq!(
        azure(&[("PUBLIC_URL", "https://desk.example.com")])
            .unwrap_err()
            .variable,
        "PUBLIC_URL"
    );
}

#[test]
fn limits_have_defaults_and_each_bad_one_names_its_variable() {
    let c = azure(&[]).unwrap();
    assert_eq!(c.limits, Limits::default());
    assert_eq!(c.limits.header_read_timeout, Duration::from_secs(10));
    assert_eq!(c.limits.request_timeout, Duration::from_secs(30));
    assert_eq!(c.limits.max_concurrent_requests, 512);
    assert_eq!(
        (c.limits.form_body, c.limits.import_body),
        (64 * 1024, 1024 * 1024)
    );
    let c = azure(&[
        ("HEADER_READ_TIMEOUT_SECONDS", "2"),
        ("REQUEST_TIMEOUT_SECONDS", "60"),
        ("MAX_CONCURRENT_REQUESTS", "64"),
    ])
    .unwrap();
    assert_eq!(c.limits.header_read_timeout, Duration::from_secs(2));
    assert_eq!(c.limits.request_timeout, Duration::from_secs(60));
    assert_eq!(c.limits.max_concurrent_requests, 64);
    for (var, bad) in [
        ("HEADER_READ_TIMEOUT_SECONDS", "0"),
        ("HEADER_READ_TIMEOUT_SECONDS", "soon"),
        ("REQUEST_TIMEOUT_SECONDS", "601"),
        ("MAX_CONCURRENT_REQUESTS", "-1"),
        ("MAX_CONCURRENT_REQUESTS", "0"),
    ] {
        let e = azure(&[(var, bad)]).unwrap_err();
        assert_eq!(e.variable, var, "{bad}");
        assert!(
            e.to_string()
                .starts_with(&format!("configuration error: {var}: "))
        );
    }
    let file = parse_file("request_timeout_seconds = 45\n").unwrap();
    assert_eq!(file["REQUEST_TIMEOUT_SECONDS"], "45");
}

#[test]
fn with_azure_ad_public_url_is_https_or_loopback_http() {
    for ok in [
        "http://localhost:3000",
        "http://127.0.0.1:3000",
        "http://127.0.0.2:8080",
        "http://[::1]:3000",
    ] {
        assert!(azure(&[("PUBLIC_URL", ok)]).is_ok(), "{ok}");
    }
    for bad in [
        "http://desk.example.com",
        "http://10.0.0.5:3000",
        "http://localhost.example.com",
    ] {
        let e = azure(&[("PUBLIC_URL", bad)]).unwrap_err();
        assert_eq!(e.variable, "PUBLIC_URL", "{bad}");
    }
}

#[cfg(not(feature = "demo"))]
#[test]
fn with_azure_ad_an_https_public_url_is_taken() {
    let c = azure(&[("PUBLIC_URL", "https://desk.example.com")]).unwrap();
    assert!(c.secure_cookies());
}

#[test]
fn a_flow_catalog_folder_must_read_as_a_catalog() {
    let flows = concat!(env!("CARGO_MANIFEST_DIR"), "/../flows");
    let c = azure(&[("FLOW_CATALOG", flows)]).unwrap();
    assert_eq!(c.flow_catalog, Some(std::path::PathBuf::from(flows)));
    assert_eq!(azure(&[]).unwrap().flow_catalog, None);
    let wrong = azure(&[("FLOW_CATALOG", "/nonexistent/flows")]).unwrap_err();
    assert_eq!(wrong.variable, "FLOW_CATALOG");
}

#[test]
fn licences_are_read_from_graph_and_csp_ordering_needs_its_app() {
    let c = azure(&[]).unwrap();
    assert_eq!(c.licensing.graph_api, "https://graph.microsoft.com/v1.0");
    assert!(
        c.licensing.partner_center.is_none(),
        "no ordering unless set"
    );
    assert_eq!(c.licensing.country, "US");
    let c = azure(&[
        ("GRAPH_API", "https://graph.microsoft.us/v1.0/"),
        ("PARTNER_CENTER_CLIENT_ID", "pc-app"),
        ("PARTNER_CENTER_CLIENT_SECRET", "pc-s3cret"),
        ("PARTNER_CENTER_COUNTRY", "nl"),
    ])
    .unwrap();
    assert_eq!(c.licensing.graph_api, "https://graph.microsoft.us/v1.0");
    let pc = c.licensing.partner_center.as_ref().unwrap();
    assert_eq!(pc.api, "https://api.partnercenter.microsoft.com");
    assert_eq!(c.licensing.country, "NL");
    assert!(!format!("{pc:?}").contains("pc-s3cret"));
    for (changes, variable) in [
        (
            &[("PARTNER_CENTER_CLIENT_ID", "pc-app")][..],
            "PARTNER_CENTER_CLIENT_SECRET",
        ),
        (
            &[("PARTNER_CENTER_API", "https://x.example")][..],
            "PARTNER_CENTER_API",
        ),
        (
            &[("PARTNER_CENTER_COUNTRY", "USA")][..],
            "PARTNER_CENTER_COUNTRY",
        ),
        (
            &[("GRAPH_API", "http://graph.example/v1.0")][..],
            "GRAPH_API",
        ),
    ] {
        assert_eq!(azure(changes).unwrap_err().variable, variable);
    }
}

#[cfg(feature = "demo")]
#[test]
fn demo_mode_uses_the_sandboxs_graph_and_partner_center() {
    for var in [
        "GRAPH_API",
        "PARTNER_CENTER_CLIENT_ID",
        "PARTNER_CENTER_API",
    ] {
        assert_eq!(
            config(&[(var, "https://x.example")]).unwrap_err().variable,
            var
        );
    }
    assert_eq!(
        config(&[("PARTNER_CENTER_COUNTRY", "gb")])
            .unwrap()
            .licensing
            .country,
        "GB"
    );
}
