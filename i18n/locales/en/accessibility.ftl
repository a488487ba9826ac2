# The first tab stop of every page: past the header, straight to the page's own content.
skip-to-content = Skip to content
# The title of each Power Automate widget's frame, which assistive technology reads out.
widget-frame-templates = Power Automate: flow templates
widget-frame-flows = Power Automate: my flows
widget-frame-flow-creation = Power Automate: create a flow
widget-frame-runtime = Power Automate: run a flow
widget-frame-approvals = Power Automate: approvals
