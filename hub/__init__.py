"""Coalition Hub: where a statewide alliance of grassroots organizations coordinates itself."""
