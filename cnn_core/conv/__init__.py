"""One convolutional layer, by hand: output sizes, numpy reference ops, filters, parameter counts."""
