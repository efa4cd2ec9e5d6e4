.class public final Lcom/example/util/Helpers;
.super Ljava/lang/Object;
.source "Helpers.java"

# static fields
.field public static final TAG:Ljava/lang/String; = "Helpers"

.field public static sCount:J

# direct methods
.method public static many(IIIIIII)V
    .registers 7
    return-void
.end method

.method public static join([Ljava/lang/String;C)Ljava/lang/String;
    .registers 6
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0}, Ljava/lang/StringBuilder;-><init>()V
    sparse-switch p1, :sswitch_data
    :done
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v1
    return-object v1

    :sw_a
    const-string v1, "a"
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    goto :done

    :sw_b
    const-string/jumbo v1, "jumbo string"
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    goto/16 :done

    :sswitch_data
    .sparse-switch
        0x61 -> :sw_a
        0x62 -> :sw_b
        0x10000 -> :sw_a
    .end sparse-switch
.end method

.method public static wide(DJF)D
    .registers 8
    const-wide/high16 v0, 0x4000000000000000L
    mul-double/2addr v0, p0
    long-to-double v2, p2
    add-double/2addr v0, v2
    return-wide v0
.end method
