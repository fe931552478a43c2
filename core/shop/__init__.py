"""The shop port: the shop's own system as the source of truth, Kefu's store as its cache
(docs/SHOPS.md). ``port`` is the interface, ``requests`` the changes it makes, ``model`` what it
returns; ``aftersales`` the shop's after-sales rules (its policy file); ``local`` the store as the
shop; ``cache``, ``live``, ``sender`` and ``sync`` are how the core uses any backend."""
