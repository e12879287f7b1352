"""The fine-tuned text model and the n-gram model, fused with the rules (docs/MODEL_CARD.md).

``ModelBundle.load()`` (classifier.model.bundle) loads what ``scamcheck train`` wrote to
classifier/model/weights/. Importing this package stays cheap: torch and transformers are
imported only when the bundle module is, so the rules-only path starts fast.
"""
