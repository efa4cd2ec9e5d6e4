.class public Lcom/example/app/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# interfaces
.implements Lcom/example/util/Callback;

# instance fields
.field private counter:I

.field public values:[J

# direct methods
.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method public static compute(J[I[[Ljava/lang/String;DZ)J
    .registers 16
    # Literals hold units that look like invoke opcodes (0x6e, 0x74) followed by a valid
    # method index: a scanner with a wrong instruction width would report a spurious invoke.
    # const-wide is a 5-unit instruction.
    const-wide v0, 0x006e006e0074006eL
    const-wide/32 v2, 0x006e006e
    const-wide/16 v4, 0x6e
    const/4 v6, 0x1
    const/16 v7, 0x74
    const v8, 0x006e006e
    const/high16 v9, 0x6e0000
    add-int/lit16 v9, v9, 0x6e
    add-int/lit8 v9, v9, 0x6e
    packed-switch v6, :pswitch_data
    :default
    add-long/2addr v0, v2
    fill-array-data p2, :array_data
    fill-array-data p2, :byte_data
    sparse-switch v6, :sswitch_data
    invoke-static/range {v6 .. v12}, Lcom/example/util/Helpers;->many(IIIIIII)V
    goto :tail

    :pswitch_data
    .packed-switch 0x0001006e
        :case0
        :case1
        :case2
    .end packed-switch

    :array_data
    .array-data 4
        0x0001006e
        0x00010074
        0x6e
    .end array-data

    # 3 one-byte elements: padded to 2 units; the last one decodes as 0x006e if misaligned
    :byte_data
    .array-data 1
        0x1t
        0x2t
        0x6et
    .end array-data

    :sswitch_data
    .sparse-switch
        0x0001006e -> :case0
        0x00010074 -> :case1
    .end sparse-switch

    :tail
    invoke-static {}, Ljava/lang/Thread;->yield()V
    return-wide v0

    :case0
    invoke-static {}, Ljava/lang/System;->currentTimeMillis()J
    move-result-wide v0
    return-wide v0

    :case1
    invoke-static {}, Ljava/lang/System;->nanoTime()J
    move-result-wide v0
    return-wide v0

    :case2
    goto/32 :default
.end method

# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    const-string v0, "phone"
    invoke-virtual {p0, v0}, Lcom/example/app/MainActivity;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/telephony/TelephonyManager;
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    move-result-object v1
    const-string v0, "\u4f60\u597d\uff0c\u4e16\u754c"
    invoke-static {v0, v1}, Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I
    new-instance v0, Lcom/example/app/MainActivity$Inner;
    invoke-direct {v0, p0}, Lcom/example/app/MainActivity$Inner;-><init>(Lcom/example/app/MainActivity;)V
    invoke-interface {v0}, Ljava/lang/Runnable;->run()V
    return-void
.end method

.method public onResult(I)V
    .registers 3
    iput p1, p0, Lcom/example/app/MainActivity;->counter:I
    return-void
.end method

.method public native nativeThing(Ljava/lang/String;[B)[Ljava/lang/Object;
.end method
