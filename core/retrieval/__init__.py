"""Knowledge-base retrieval: BM25 over words plus a packaged multilingual sentence encoder."""
