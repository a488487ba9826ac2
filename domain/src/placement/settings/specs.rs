//! The settings of each widget type: one entry a setting, with its message ids (label, hint,
//! rule), its kind, how it reaches `renderWidget` and its default.

use super::{Default, Kind, Sdk, Setting, WidgetSpec};
use crate::placement::WidgetType;

const FLOW_TABS: &[(&str, &str)] = &[
    ("myFlows", "setting-tab-my-flows"),
    ("sharedFlows", "setting-tab-shared-flows"),
];
const APPROVAL_TABS: &[(&str, &str)] = &[
    ("receivedApprovals", "setting-tab-received"),
    ("sentApprovals", "setting-tab-sent"),
];

const fn setting(name: &'static str, label: &'static str, kind: Kind, sdk: Sdk) -> Setting {
    Setting {
        name,
        label,
        hint: "",
        kind,
        sdk,
        required: false,
        rule: "",
        default: Default::Text(""),
    }
}

impl Setting {
    const fn hint(mut self, hint: &'static str) -> Setting {
        self.hint = hint;
        self
    }

    const fn rule(mut self, required: bool, rule: &'static str) -> Setting {
        self.required = required;
        self.rule = rule;
        self
    }

    const fn default(mut self, default: Default) -> Setting {
        self.default = default;
        self
    }
}

static TEMPLATES: WidgetSpec = WidgetSpec {
    widget: WidgetType::Templates,
    options: Some("templatesSettings"),
    settings: &[
        setting(
            "searchTerm",
            "setting-search-term-label",
            Kind::Text { max: 200 },
            Sdk::UriComponent,
        ),
        setting(
            "templateCategory",
            "setting-template-category-label",
            Kind::Text { max: 100 },
            Sdk::UriComponent,
        ),
        setting(
            "pageSize",
            "setting-page-size-label",
            Kind::Number { min: 1, max: 50 },
            Sdk::UnlessEmpty,
        )
        .hint("setting-page-size-hint")
        .rule(false, "setting-page-size-rule")
        .default(Default::Number(Some(6))),
        setting(
            "destination",
            "setting-destination-label",
            Kind::Choice(&[
                ("details", "setting-destination-details"),
                ("new", "setting-destination-new"),
            ]),
            Sdk::UnlessEmpty,
        )
        .rule(false, "setting-destination-rule")
        .default(Default::Text("details")),
        setting(
            "defaultParams",
            "setting-default-params-label",
            Kind::Params,
            Sdk::Always,
        )
        .hint("setting-default-params-hint")
        .default(Default::Params),
    ],
};

static FLOWS: WidgetSpec = WidgetSpec {
    widget: WidgetType::Flows,
    options: Some("flowsSettings"),
    settings: &[
        setting(
            "tab",
            "setting-tab-label",
            Kind::Choice(FLOW_TABS),
            Sdk::Always,
        )
        .rule(true, "setting-flows-tab-rule")
        .default(Default::Text("myFlows")),
        setting(
            "hideTabs",
            "setting-hide-tabs-label",
            Kind::Flag,
            Sdk::Always,
        )
        .default(Default::Flag(false)),
        setting(
            "flowsFilter",
            "setting-flows-filter-label",
            Kind::Filter,
            Sdk::UnlessEmpty,
        )
        .hint("setting-flows-filter-hint"),
        setting(
            "createFromBlankTemplateId",
            "setting-create-from-blank-label",
            Kind::Id,
            Sdk::UnlessEmpty,
        )
        .rule(true, "setting-create-from-blank-rule")
        .default(Default::Text(crate::placement::templates::BLANK)),
    ],
};

static APPROVAL_CENTER: WidgetSpec = WidgetSpec {
    widget: WidgetType::ApprovalCenter,
    options: Some("approvalCenterSettings"),
    settings: &[
        setting(
            "tab",
            "setting-tab-label",
            Kind::Choice(APPROVAL_TABS),
            Sdk::Always,
        )
        .rule(true, "setting-approvals-tab-rule")
        .default(Default::Text("receivedApprovals")),
        setting(
            "hideTabs",
            "setting-hide-tabs-label",
            Kind::Flag,
            Sdk::Always,
        )
        .default(Default::Flag(false)),
        setting(
            "approvalsFilter",
            "setting-approvals-filter-label",
            Kind::Filter,
            Sdk::UnlessEmpty,
        )
        .hint("setting-approvals-filter-hint"),
        setting(
            "hideLink",
            "setting-hide-link-label",
            Kind::Flag,
            Sdk::WhenOn,
        )
        .default(Default::Flag(false)),
    ],
};

static FLOWS_RUNTIME: WidgetSpec = WidgetSpec {
    widget: WidgetType::FlowsRuntime,
    options: None,
    settings: &[
        setting(
            "trigger",
            "setting-trigger-label",
            Kind::Trigger,
            Sdk::Action,
        )
        .rule(true, "setting-trigger-rule")
        .default(Default::Template("")),
        setting(
            "buttonText",
            "setting-button-text-label",
            Kind::Text { max: 60 },
            Sdk::Action,
        )
        .rule(true, "setting-button-text-rule"),
    ],
};

static FLOW_CREATION: WidgetSpec = WidgetSpec {
    widget: WidgetType::FlowCreation,
    options: None,
    settings: &[setting(
        "templateName",
        "setting-template-name-label",
        Kind::Id,
        Sdk::Action,
    )
    .rule(true, "setting-template-name-rule")],
};

/// The description of a widget type's settings.
pub fn spec(widget: WidgetType) -> &'static WidgetSpec {
    match widget {
        WidgetType::Templates => &TEMPLATES,
        WidgetType::Flows => &FLOWS,
        WidgetType::ApprovalCenter => &APPROVAL_CENTER,
        WidgetType::FlowsRuntime => &FLOWS_RUNTIME,
        WidgetType::FlowCreation => &FLOW_CREATION,
    }
}

/// Whether a trigger runs a template's flow or one flow, each with the message id of its
/// label.
pub const TRIGGER_KINDS: &[(&str, &str)] = &[
    ("template", "setting-trigger-template"),
    ("flow", "setting-trigger-flow"),
];
