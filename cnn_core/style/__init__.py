"""Neural style transfer: Gram matrices and costs, Gatys optimisation, and two feed-forward stylisers.

Importing this package loads nothing heavy; the modules that need TensorFlow import it themselves.
"""
