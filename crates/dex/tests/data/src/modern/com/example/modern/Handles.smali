.class public Lcom/example/modern/Handles;
.super Ljava/lang/Object;
.source "Handles.java"

# direct methods
.method public static callHandle(Ljava/lang/invoke/MethodHandle;I)Ljava/lang/Object;
    .registers 4
    invoke-polymorphic {p0, p1}, Ljava/lang/invoke/MethodHandle;->invoke([Ljava/lang/Object;)Ljava/lang/Object;, (I)Ljava/lang/Object;
    move-result-object v0
    invoke-polymorphic/range {p0 .. p1}, Ljava/lang/invoke/MethodHandle;->invokeExact([Ljava/lang/Object;)Ljava/lang/Object;, (I)V
    const-method-handle v1, invoke-static@Ljava/lang/Integer;->toString(I)Ljava/lang/String;
    const-method-type v1, (IJ)Ljava/lang/String;
    invoke-custom {p1}, call_site_0("apply", (I)Ljava/lang/String;)@Ljava/lang/invoke/StringConcatFactory;->makeConcat(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;
    move-result-object v1
    invoke-static {v1}, Lcom/example/modern/Handles;->sink(Ljava/lang/Object;)V
    return-object v0
.end method

.method private static sink(Ljava/lang/Object;)V
    .registers 2
    invoke-virtual {p0}, Ljava/lang/Object;->hashCode()I
    return-void
.end method
