# De eerste tabstop van elke pagina: langs de kop, meteen naar de inhoud van de pagina.
skip-to-content = Naar de inhoud
# De titel van het frame van elke Power Automate-widget, die hulptechnologie voorleest.
widget-frame-templates = Power Automate: stroomsjablonen
widget-frame-flows = Power Automate: mijn stromen
widget-frame-flow-creation = Power Automate: een stroom maken
widget-frame-runtime = Power Automate: een stroom uitvoeren
widget-frame-approvals = Power Automate: goedkeuringen
