"""The pages of Docket for every role (thin: they parse, call services and selectors,
and render). Administration pages live in ``docket.web.manage``."""
