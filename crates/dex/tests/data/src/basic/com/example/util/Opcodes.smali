.class public Lcom/example/util/Opcodes;
.super Ljava/lang/Object;
.source "Opcodes.java"

# instance fields
.field public i:I
.field public o:Ljava/lang/Object;

# static fields
.field public static s:J

# One instruction of (nearly) every format, so the width table is checked against dexdump.
.method public static all(Lcom/example/util/Opcodes;[I[JI)Ljava/lang/Object;
    .registers 300
    nop
    move-object/from16 v10, p0
    move-object/from16 v11, p1
    move-object/from16 v12, p2
    move v0, v1
    move/from16 v0, v256
    move/16 v257, v258
    move-wide v0, v2
    move-wide/from16 v0, v256
    move-wide/16 v258, v260
    move-object v0, v1
    move-object/from16 v0, v256
    move-object/16 v257, v258
    const/4 v0, 0x7
    const/16 v1, 0x1234
    const v2, 0x12345678
    const/high16 v3, 0x7f000000
    const-wide/16 v4, 0x1234
    const-wide/32 v4, 0x12345678
    const-wide v4, 0x123456789abcdefL
    const-wide/high16 v4, 0x7ff0000000000000L
    const-string v0, "opcodes"
    const-string/jumbo v0, "opcodes jumbo"
    const-class v0, Ljava/lang/String;
    monitor-enter v0
    monitor-exit v0
    check-cast v0, Ljava/lang/String;
    instance-of v1, v0, Ljava/lang/String;
    array-length v1, v11
    new-instance v0, Ljava/lang/StringBuilder;
    new-array v0, v1, [I
    filled-new-array {v1, v2, v3}, [I
    move-result-object v0
    filled-new-array/range {v1 .. v5}, [I
    move-result-object v0
    cmpl-float v0, v1, v2
    cmp-long v0, v4, v6
    if-eq v1, v2, :l1
    if-le v1, v2, :l1
    if-eqz v1, :l1
    if-lez v1, :l1
    aget v0, v11, v1
    aget-wide v4, v12, v1
    aput v0, v11, v1
    iget v0, v10, Lcom/example/util/Opcodes;->i:I
    iput-object v0, v10, Lcom/example/util/Opcodes;->o:Ljava/lang/Object;
    sget-wide v4, Lcom/example/util/Opcodes;->s:J
    sput-wide v4, Lcom/example/util/Opcodes;->s:J
    neg-int v0, v1
    int-to-long v4, v1
    int-to-char v0, v1
    add-int v0, v1, v2
    rem-double v4, v6, v8
    add-int/2addr v0, v1
    ushr-long/2addr v4, v1
    rsub-int v0, v1, 0x1234
    div-int/lit16 v0, v1, 0x6e
    mul-int/lit8 v0, v1, 0x6e
    ushr-int/lit8 v0, v1, 0x3
    invoke-virtual {v10}, Ljava/lang/Object;->hashCode()I
    move-result v0
    invoke-direct/range {v10 .. v10}, Lcom/example/util/Opcodes;-><init>()V
    invoke-super/range {v10 .. v10}, Ljava/lang/Object;->toString()Ljava/lang/String;
    invoke-static/range {v1 .. v1}, Ljava/lang/Integer;->valueOf(I)Ljava/lang/Integer;
    goto :l2
    :l1
    goto/16 :l2
    :l2
    goto/32 :l3
    :l3
    throw v0
.end method

.method public constructor <init>()V
    .registers 1
    invoke-direct {v10}, Ljava/lang/Object;-><init>()V
    return-void
.end method
