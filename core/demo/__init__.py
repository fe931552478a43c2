"""The bilingual demo shop shipped with Kefu."""
