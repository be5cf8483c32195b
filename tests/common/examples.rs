//! The shipped policies and their example data.

/// Every shipped policy and the example data it is evaluated on.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("policies/heihe/2023.zb", "examples/heihe/units.csv"),
    (
        "policies/heihe/2023-sensitivity.zb",
        "examples/heihe/units.csv",
    ),
    (
        "policies/departments/2024.zb",
        "examples/departments/units.csv",
    ),
    (
        "policies/province-index/index.zb",
        "examples/province-index/2024.csv",
    ),
    ("policies/heihe/2024.zb", "examples/heihe/units-2024.csv"),
    (
        "policies/province-it/2024.zb",
        "examples/province-it/units.csv",
    ),
    (
        "policies/county-index/index.zb",
        "examples/county-index/units.csv",
    ),
    (
        "policies/shenzhen-sharing/2015.zb",
        "examples/shenzhen-sharing/departments.csv",
    ),
    (
        "policies/shenzhen-sharing/2016.zb",
        "examples/shenzhen-sharing/departments.csv",
    ),
    (
        "policies/xinxi-huimin/national.zb",
        "examples/xinxi-huimin/cities.csv",
    ),
    (
        "policies/xinxi-huimin/shenzhen.zb",
        "examples/xinxi-huimin/shenzhen-districts.csv",
    ),
];
