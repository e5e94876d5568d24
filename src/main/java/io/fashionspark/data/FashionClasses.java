package io.fashionspark.data;

import java.util.List;

/** FashionMNIST's label names, by label value. */
public final class FashionClasses {
    public static final List<String> NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionClasses() {
    }
}
