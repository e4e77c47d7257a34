"""The Training page: transfer learning on the visitor's photos, data augmentation, why ResNets work."""
