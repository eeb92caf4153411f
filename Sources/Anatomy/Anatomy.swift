// Anatomy: femur and vertebra segmentation, vertebral levels, landmarks and anatomical frames.
