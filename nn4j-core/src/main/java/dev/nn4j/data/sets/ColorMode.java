package dev.nn4j.data.sets;

/** The channels images are converted to when read: one grey channel or three RGB channels. */
public enum ColorMode {
    /** One channel: grey images as stored; colour images by ITU-R BT.601 luma, {@code 0.299 R + 0.587 G + 0.114 B} (PIL's "L"). */
    GREY(1),
    /** Three channels, R, G, B; grey images repeat their value in each. */
    RGB(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
