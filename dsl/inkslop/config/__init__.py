"""A project's settings: the values every stage reads (`settings`) and how they are found and
validated from configuration files (`loader`, which sits above `lint`: it validates rule selectors)."""
